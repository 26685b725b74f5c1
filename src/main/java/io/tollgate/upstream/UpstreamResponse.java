package io.tollgate.upstream;

import java.net.http.HttpHeaders;

/** A complete 2xx answer from an upstream. */
public record UpstreamResponse(int status, HttpHeaders headers, byte[] body) {
}
