package dev.corral.server.config;

import dev.corral.server.budget.RequestBudget;
import dev.corral.server.egress.EgressRule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The server's settings, parsed and validated once at start. See {@link ServerOption} for meanings.
 * A {@code workers}, {@code queueSize}, {@code eventLoops} or {@code maxBufferedBodies} of 0 means "derive from the machine".
 */
public record ServerConfig(
        Path bundle,
        String entrypoint,
        String host,
        int port,
        String adminHost,
        int adminPort,
        int workers,
        int queueSize,
        Duration maxQueueWait,
        Duration queueWaitGrace,
        NetworkTransport transport,
        int eventLoops,
        long maxBodySize,
        long maxBufferedBodies,
        int maxHeaderSize,
        int maxRequestLine,
        Duration idleTimeout,
        Duration headerTimeout,
        RequestBudget budget,
        Duration budgetGrace,
        int maxRequests,
        int maxRequestsJitter,
        Duration drainDelay,
        Duration drainTimeout,
        Duration idleHeapRelease,
        Mode mode,
        List<String> envPass,
        List<EgressRule> egress,
        Path tempDir) {

    /** Whether an interpreted-only Python runtime is fatal. */
    public enum Mode { PRODUCTION, DEVELOPMENT }

    public ServerConfig {
        envPass = List.copyOf(envPass);
        egress = List.copyOf(egress);
    }
}
