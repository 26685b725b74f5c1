package io.tollgate.usage;

/** A request's body and what its reply sent (the answer, or the stream's events as SSE text), each cut to size. */
public record LoggedBodies(String request, String response) {
}
