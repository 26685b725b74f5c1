package io.tollgate.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated client request. The body stays a JSON tree so that parameters the gateway does not know survive
 * the trip upstream unchanged; {@code includeUsage} is whether the client itself asked for a usage chunk.
 */
public record OpenAiRequest(Endpoint endpoint, ObjectNode body, String model, boolean stream, boolean includeUsage) {
}
