package io.tollgate.upstream;

/** A request body's bytes with the content type that says how to read them (a multipart one names its boundary). */
public record TypedBody(byte[] bytes, String contentType) {
}
