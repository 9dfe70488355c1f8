package dev.salesagent.store.mail;

import dev.salesagent.agent.send.AddressHash;
import dev.salesagent.agent.send.Suppression;
import dev.salesagent.agent.send.SuppressionList;
import dev.salesagent.agent.send.SuppressionReason;
import dev.salesagent.store.Database;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * {@link SuppressionList} on {@code suppression_list} (V8): {@code h:<HMAC hex>} for an address, {@code d:<domain>} for
 * a do-not-contact domain. The HMAC salt is created once per database ({@code install_secrets.suppression_salt}),
 * so every process on it hashes alike. Blocking; writes are checkpointed.
 */
public final class JdbcSuppressionList implements SuppressionList {
  static final String SALT = "suppression_salt";
  private final Database db;
  private final AddressHash hash;

  public JdbcSuppressionList(Database db) {
    this.db = db;
    this.hash = new AddressHash(salt(db));
  }

  /** The install's salt, created on first use (a racing second process's insert fails and it reads the winner's). */
  static byte[] salt(Database db) {
    return db.jdbi().withHandle(h -> {
      Optional<String> hex = read(h);
      if (hex.isPresent()) return HexFormat.of().parseHex(hex.get());
      byte[] fresh = new byte[32];
      new SecureRandom().nextBytes(fresh);
      try {
        h.createUpdate("INSERT INTO install_secrets (name, secret_hex, created_at) VALUES (:n, :v, :at)")
            .bind("n", SALT).bind("v", HexFormat.of().formatHex(fresh)).bind("at", JdbcSendLog.ts(Instant.now())).execute();
        db.checkpoint(h);
        return fresh;
      } catch (RuntimeException lostTheRace) {
        return HexFormat.of().parseHex(read(h).orElseThrow(() -> lostTheRace));
      }
    });
  }

  private static Optional<String> read(Handle h) {
    return h.createQuery("SELECT secret_hex FROM install_secrets WHERE name = :n").bind("n", SALT).mapTo(String.class).findOne();
  }

  @Override
  public AddressHash hash() { return hash; }

  @Override
  public Optional<Suppression> check(String email) {
    List<String> entries = new ArrayList<>();
    entries.add("h:" + hash.of(email));
    String domain = email.substring(email.lastIndexOf('@') + 1).strip().toLowerCase(Locale.ROOT);
    // the domain and each parent with a dot: mail.example.com, example.com
    for (String d = domain; d.contains("."); d = d.substring(d.indexOf('.') + 1)) entries.add("d:" + d);
    return db.jdbi().withHandle(h -> h.createQuery("SELECT entry, reason, created_at FROM suppression_list WHERE entry IN (<e>) ORDER BY entry DESC")
        .bindList("e", entries)
        .map((rs, ctx) -> {
          String entry = rs.getString("entry");
          return new Suppression(SuppressionReason.fromWire(rs.getString("reason")),
              entry.startsWith("d:") ? entry.substring(2) : null, JdbcSendLog.instant(rs, "created_at"));
        }).findFirst());
  }

  @Override
  public void suppressAddress(String email, SuppressionReason reason, String source) {
    insert("h:" + hash.of(email), reason, source);
  }

  @Override
  public void suppressDomain(String domain, String source) {
    String d = domain.strip().toLowerCase(Locale.ROOT);
    if (d.startsWith("@")) d = d.substring(1);
    if (!d.matches("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")) {
      throw new IllegalArgumentException("'" + domain + "' is not a domain name");
    }
    insert("d:" + d, SuppressionReason.DO_NOT_CONTACT, source);
  }

  private void insert(String entry, SuppressionReason reason, String source) {
    db.jdbi().useTransaction(h -> {
      insertEntry(h, entry, reason, source);
      db.checkpoint(h);
    });
  }

  /** Inserts unless present (the first reason wins); usable inside another transaction (erasure). */
  public static void insertEntry(Handle h, String entry, SuppressionReason reason, String source) {
    int n = h.createQuery("SELECT COUNT(*) FROM suppression_list WHERE entry = :e").bind("e", entry).mapTo(Integer.class).one();
    if (n > 0) return;
    h.createUpdate("INSERT INTO suppression_list (entry, reason, source, created_at) VALUES (:e, :r, :s, :at)")
        .bind("e", entry).bind("r", reason.wire()).bindByType("s", source, String.class)
        .bind("at", JdbcSendLog.ts(Instant.now())).execute();
  }

  /** Every entry as stored (hashes and domains; the CLI's listing and the erasure test). */
  public List<String[]> entries() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT entry, reason FROM suppression_list ORDER BY created_at")
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list());
  }
}
