package dev.corral.server.http;

import java.time.Duration;

/** The HTTP front's limits and timeouts, taken from the server configuration. */
public record HttpSettings(String host, int port, int eventLoops, long maxBodySize, int maxHeaderSize,
                           int maxRequestLine, Duration idleTimeout, Duration headerTimeout) {
}
