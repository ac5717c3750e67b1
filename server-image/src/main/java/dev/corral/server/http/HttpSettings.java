package dev.corral.server.http;

import java.time.Duration;

/**
 * The HTTP front's limits and timeouts, taken from the server configuration. {@code maxBufferedBodies}
 * bounds request-body bytes held across the server; {@code maxLaneWait} bounds a request's wait in a
 * route's concurrency lane (the same bound as the worker queue's).
 */
public record HttpSettings(String host, int port, int eventLoops, long maxBodySize, long maxBufferedBodies, int maxHeaderSize,
                           int maxRequestLine, Duration idleTimeout, Duration headerTimeout, Duration maxLaneWait) {
}
