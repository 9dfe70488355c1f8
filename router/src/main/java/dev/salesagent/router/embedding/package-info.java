/**
 * Embeddings through the router: the request and response records. They are routed like chat — the same plan,
 * permits, retries, fallback, circuit breakers, budgets and ledger ({@code router/execution}) — and each provider
 * folder says how its wire protocol asks for them (OpenAI-compatible {@code /embeddings}, Ollama {@code /api/embed}).
 */
package dev.salesagent.router.embedding;
