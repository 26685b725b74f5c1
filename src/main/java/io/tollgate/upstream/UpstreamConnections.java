package io.tollgate.upstream;

/**
 * The upstream clients' connections at one moment, summed over every client and destination: in use by an
 * exchange, pooled idle, and requests waiting in a destination's queue for a connection. Read at scrape time.
 */
public record UpstreamConnections(int active, int idle, int queued) {
}
