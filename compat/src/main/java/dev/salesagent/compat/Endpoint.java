package dev.salesagent.compat;

/**
 * Where and how one imported deployment is called: becomes one of our providers. Two deployments with equal endpoints
 * share a provider; any difference (another key, base URL or limit) makes another provider, since limits and keys are
 * per provider here.
 *
 * @param baseUrl        the root given in the source, {@code null} = the vendor's default
 * @param baseUrlVar     the variable the source read the root from ({@code os.environ/VAR}), written as {@code ${VAR}}
 * @param apiPrefix      path between root and endpoint when the source's root already includes it; {@code null} = default
 * @param apiKeyEnv      the variable holding the key, {@code null} = no key
 * @param firstTokenMs   per-deployment first-token limit, {@code null} = the global one
 * @param totalMs        per-deployment request limit, {@code null} = the global one
 */
public record Endpoint(Vendor vendor, String baseUrl, String baseUrlVar, String apiPrefix, String apiKeyEnv,
                       int rpm, int tpm, int maxConcurrency, Long firstTokenMs, Long totalMs) {}
