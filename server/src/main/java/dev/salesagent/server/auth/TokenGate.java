package dev.salesagent.server.auth;

import dev.salesagent.router.model.ChatRequest;
import dev.salesagent.router.model.Usage;
import dev.salesagent.router.tokens.TokenEstimator;
import dev.salesagent.server.GatewayServices;
import dev.salesagent.server.http.ApiError;
import dev.salesagent.server.http.ApiException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;

/**
 * The per-key tokens-per-minute check ({@link TokenRateLimiter}), taken where the body has been parsed (after
 * {@link Gate}, which runs before the body is read). A key without {@code tpm} costs nothing here: no estimate, no
 * limiter call, no Redis round trip. The estimate is the prompt's cheap estimate ({@link TokenEstimator#quickEstimateInput},
 * 4 characters a token: the tokenizer costs ~45 µs/KB, too much for every call) plus {@code max_tokens}, or
 * {@value #DEFAULT_OUTPUT_TOKENS} output tokens when absent (the default {@code typical_output_tokens} of a task: the task
 * is not known before routing). The admission is settled to the reported input + output tokens when the call succeeds;
 * a failed call keeps its estimate.
 */
public final class TokenGate {
  /** Output estimate when the request sets no {@code max_tokens} (ConfigLoader's default typical_output_tokens). */
  public static final int DEFAULT_OUTPUT_TOKENS = 500;

  /** Settles nothing: the key has no token limit. */
  public static final TokenRateLimiter.Admitted UNLIMITED = actual -> {};
  private static final Future<TokenRateLimiter.Admitted> UNLIMITED_NOW = Future.succeededFuture(UNLIMITED);

  private TokenGate() {}

  /** The estimate of a chat call: prompt plus {@code max_tokens} (or {@value #DEFAULT_OUTPUT_TOKENS}). */
  public static long estimate(ChatRequest chat) {
    int out = chat.maxTokens() != null ? chat.maxTokens() : DEFAULT_OUTPUT_TOKENS;
    return Math.max(1L, (long) TokenEstimator.defaultEstimator().quickEstimateInput(chat) + out);
  }

  /** The tokens a finished call used (input + output as reported; unknown parts count 0). */
  public static long used(Usage u) {
    if (u == null) return 0;
    return (u.inputTokens() == null ? 0L : u.inputTokens()) + (u.outputTokens() == null ? 0L : u.outputTokens());
  }

  /**
   * Counts {@code estimate} tokens for {@code p}'s key, or fails with the 429 {@code rate_limited} error (retry-after:
   * when the call fits again; none when it can never fit).
   */
  public static Future<TokenRateLimiter.Admitted> reserve(GatewayServices s, Principal p, long estimate) {
    if (p.tpm() == null) return UNLIMITED_NOW;
    int tpm = p.tpm();
    if (estimate > tpm) {
      return Future.failedFuture(new ApiException(new ApiError(429, "rate_limited", "this request needs about "
          + estimate + " tokens (prompt + max_tokens) but key " + p.keyId() + " is limited to " + tpm
          + " tokens per minute (tpm): it can never fit; lower max_tokens or shorten the prompt", null, null, null)));
    }
    Future<TokenRateLimiter.Decision> d = s.tokenLimiter().reserve(p.keyId(), tpm, estimate);
    return d.isComplete() ? admitted(p, d) : d.transform(ar -> admitted(p, ar));
  }

  private static Future<TokenRateLimiter.Admitted> admitted(Principal p, AsyncResult<TokenRateLimiter.Decision> d) {
    if (d.failed()) return Future.failedFuture(d.cause());
    if (d.result() instanceof TokenRateLimiter.Refused r) {
      return Future.failedFuture(new ApiException(ApiError.rateLimited("key " + p.keyId() + " is limited to " + p.tpm()
          + " tokens per minute (tpm): retry in " + r.retryAfterSeconds() + " s", r.retryAfterSeconds())));
    }
    return Future.succeededFuture((TokenRateLimiter.Admitted) d.result());
  }
}
