package dev.salesagent.router.model;

/**
 * A call the model asked for (an answer's tool call, or a part of an assistant message sent back in the next turn).
 *
 * @param id            the call's id; providers without ids on the wire (Ollama) get one synthesised by the adapter
 * @param argumentsJson the JSON object text of the arguments
 */
public record ToolCall(String id, String name, String argumentsJson) implements ContentPart {}
