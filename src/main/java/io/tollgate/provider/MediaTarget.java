package io.tollgate.provider;

import java.net.URI;
import java.util.Map;

/** Where one pass-through call (images, audio, moderations, Responses) goes on a route, with the headers signing it. */
public record MediaTarget(URI uri, Map<String, String> headers) {
}
