package io.tollgate.upstream;

/** A complete 2xx answer from an upstream. */
public record UpstreamResponse(int status, byte[] body) {
}
