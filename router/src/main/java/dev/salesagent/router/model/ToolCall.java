package dev.salesagent.router.model;

/** A call the model asked for; {@code argumentsJson} is the JSON object text of the arguments. */
public record ToolCall(String id, String name, String argumentsJson) {}
