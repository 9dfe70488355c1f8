package dev.salesagent.router.budget;

import dev.salesagent.router.shared.LuaScript;

/**
 * The Lua scripts of {@link RedisBudgetStore}: each runs atomically in Redis, so no replica ever reads a counter and
 * writes it back from Java. Amounts are whole nano-dollars; Lua compares them in doubles (exact below 2^53, about
 * $9,007,199 per counter) and hands every computed amount to Redis as a formatted integer.
 */
final class RedisBudgetScripts {
  private RedisBudgetScripts() {}

  /**
   * One replica's leases: settles, gives back and grants, for any number of counters at once. KEYS: the epoch
   * marker, the replica's liveness key, the script's own record (so it runs at most once), then per counter its
   * hash and its lease hash. ARGV: replica id, the epoch its leases were granted under ('' for a fresh replica
   * identity), liveness time to live (ms), number of counters, claim amount (0: grant nothing), liveness key prefix,
   * mode ({@code run}; {@code replay}: a run that went unanswered, sent again with no claim — if it ran, what it granted
   * is given back; {@code close}: the liveness key is deleted; {@code spend}: spend only, for an identity whose leases
   * are gone), then per counter: spend to add to {@code s}, lease to give back, the limit to grant under ('-': no grant
   * on this counter; '=' before it: grant the claim alone), expiry (unix s).
   *
   * <p>Returns {1, epoch, grant per counter...} (negative: the counter is near its limit, the grant is the claim
   * alone); {0, counter index, left, epoch}: refused (the settlements were
   * applied); {3, epoch}: ran before; {-1}: Redis not seeded; {-2, epoch}: restored since the leases were granted;
   * {-3, epoch}: the liveness key expired (the leases may have been reclaimed). The last three change nothing.
   *
   * <p>A grant first reclaims the leases of replicas whose liveness key is gone, then takes at least the claim when
   * {@code limit - s - r} has room for it: {@code min(left / 64, 256 × claim)} when that is more (far below the
   * limit), else exactly the claim.
   */
  static final LuaScript LEASE = LuaScript.of("budget-lease", """
      local function int(x) return string.format('%d', x) end
      local epoch = redis.call('GET', KEYS[1])
      if not epoch then return {-1} end
      local mode = ARGV[7]
      if ARGV[2] ~= '' then
        if ARGV[2] ~= epoch then return {-2, epoch} end
        if mode ~= 'spend' and redis.call('EXISTS', KEYS[2]) == 0 then return {-3, epoch} end
      end
      local me, m, n = ARGV[1], tonumber(ARGV[4]), tonumber(ARGV[5])
      local function giveBack(ck, lk, v)
        local have = tonumber(redis.call('HGET', lk, me) or '0')
        if v > have then v = have end
        if v <= 0 then return end
        if redis.call('HINCRBY', lk, me, int(-v)) <= 0 then redis.call('HDEL', lk, me) end
        if redis.call('HINCRBY', ck, 'r', int(-v)) < 0 then redis.call('HSET', ck, 'r', 0) end
      end
      local done = redis.call('GET', KEYS[3])
      if done then
        if mode == 'replay' and done ~= '0' then
          local j = 0
          for g in string.gmatch(done, '%S+') do
            j = j + 1
            if tonumber(g) > 0 then giveBack(KEYS[2 + 2 * j], KEYS[3 + 2 * j], tonumber(g)) end
          end
          redis.call('SET', KEYS[3], '0', 'EX', 600)
        end
        return {3, epoch}
      end
      redis.call('SET', KEYS[3], '0', 'EX', 600)
      for j = 1, m do
        local ck, lk, b = KEYS[2 + 2 * j], KEYS[3 + 2 * j], 7 + (j - 1) * 4
        local add, back = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2])
        if add > 0 then redis.call('HINCRBY', ck, 's', ARGV[b + 1]) end
        if back > 0 then giveBack(ck, lk, back) end
        if add > 0 or back > 0 then redis.call('EXPIREAT', ck, ARGV[b + 4]) end
      end
      if mode == 'close' then
        redis.call('DEL', KEYS[2])
      elseif mode ~= 'spend' then
        redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
      end
      if n == 0 then return {1, epoch} end
      local grants, near, reply = {}, {}, {1, epoch}
      for j = 1, m do
        local b = 7 + (j - 1) * 4
        grants[j] = 0
        local lim = ARGV[b + 3]
        if lim ~= '-' then
          local exact = string.sub(lim, 1, 1) == '='
          if exact then lim = string.sub(lim, 2) end
          local ck, lk = KEYS[2 + 2 * j], KEYS[3 + 2 * j]
          local ls = redis.call('HGETALL', lk)
          for i = 1, #ls, 2 do
            if ls[i] ~= me and redis.call('EXISTS', ARGV[6] .. ls[i]) == 0 then
              redis.call('HDEL', lk, ls[i])
              if redis.call('HINCRBY', ck, 'r', int(-tonumber(ls[i + 1]))) < 0 then redis.call('HSET', ck, 'r', 0) end
            end
          end
          local c = redis.call('HMGET', ck, 's', 'r')
          local left = tonumber(lim) - (tonumber(c[1]) or 0) - (tonumber(c[2]) or 0)
          if n > left then return {0, j - 1, int(left), epoch} end
          local t = math.floor(math.min(left / 64, 256 * n))
          if t > n and not exact then grants[j] = t else grants[j] = n end
          if t <= n then near[j] = true end
        end
      end
      local rec = {}
      for j = 1, m do
        local g = grants[j]
        if g > 0 then
          local ck, lk, b = KEYS[2 + 2 * j], KEYS[3 + 2 * j], 7 + (j - 1) * 4
          redis.call('HINCRBY', ck, 'r', int(g))
          redis.call('HINCRBY', lk, me, int(g))
          redis.call('EXPIREAT', ck, ARGV[b + 4])
          redis.call('EXPIREAT', lk, ARGV[b + 4])
        end
        rec[j] = int(g)
        if near[j] then reply[2 + j] = -g else reply[2 + j] = g end
      end
      redis.call('SET', KEYS[3], table.concat(rec, ' '), 'EX', 600)
      return reply
      """);

  /**
   * Settles a reservation taken outside the leases. KEYS: marker, counters, the reservation's record. ARGV: reserved
   * amount, spent, mode, stamp, an expiry per counter. Mode {@code r}: taken under a lease of Redis epoch
   * {@code stamp} that a restore has dropped since (the restore counted it as reserved, so it leaves the reserved
   * totals); mode {@code l}: taken on local counters at {@code stamp} (ms) while Redis did not answer (it leaves the
   * reserved totals only when Redis was restored after it was taken). Its spend is added in every case. Settling twice
   * changes nothing: a local one leaves a {@code done} record.
   */
  static final LuaScript FINISH = LuaScript.of("budget-finish", """
      local epoch = redis.call('GET', KEYS[1])
      if not epoch then return 0 end
      local rec = KEYS[#KEYS]
      local state = redis.call('GET', rec)
      if state == 'done' then return 0 end
      local release
      if ARGV[3] == 'r' then
        if epoch == ARGV[4] then return 0 end
        release = true
      else
        release = tonumber(epoch) > tonumber(ARGV[4])
      end
      for i = 2, #KEYS - 1 do
        if release then
          local r = redis.call('HINCRBY', KEYS[i], 'r', -tonumber(ARGV[1]))
          if r < 0 then redis.call('HSET', KEYS[i], 'r', 0) end
        end
        redis.call('HINCRBY', KEYS[i], 's', ARGV[2])
        redis.call('EXPIREAT', KEYS[i], ARGV[3 + i])
      end
      redis.call('SET', rec, 'done', 'EX', 3600)
      return 1
      """);

  /**
   * KEYS: marker, then per counter its hash and its lease hash. ARGV: the new epoch, then spent, reserved, expiry per
   * counter. Every lease on a seeded counter is dropped: the durable record counts reservations, not leases.
   */
  static final LuaScript SEED = LuaScript.of("budget-seed", """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      for j = 1, (#KEYS - 1) / 2 do
        local ck, lk, b = KEYS[2 * j], KEYS[2 * j + 1], 2 + (j - 1) * 3
        redis.call('DEL', ck, lk)
        redis.call('HSET', ck, 's', ARGV[b], 'r', ARGV[b + 1])
        redis.call('EXPIREAT', ck, ARGV[b + 2])
      end
      redis.call('SET', KEYS[1], ARGV[1])
      return 1
      """);
}
