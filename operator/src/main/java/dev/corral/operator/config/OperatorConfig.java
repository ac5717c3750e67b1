package dev.corral.operator.config;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's own settings, from environment variables, parsed once at start.
 *
 * @param serverImage      CORRAL_SERVER_IMAGE: the server image pods run when a WebApp names none
 * @param drainSeconds     CORRAL_DRAIN_SECONDS: how long a server keeps accepting after SIGTERM (its --drain-delay)
 * @param graceSeconds     CORRAL_GRACE_SECONDS: extra seconds past request timeout and drain before the kubelet kills a pod
 * @param watchNamespaces  CORRAL_WATCH_NAMESPACES: comma-separated namespaces to watch; empty for all
 * @param leaseNamespace   CORRAL_LEADER_ELECTION_NAMESPACE: where the leader lease lives; empty turns leader election off
 * @param httpPort         CORRAL_HTTP_PORT: port of /healthz, /readyz and /metrics
 * @param sampleSeconds    CORRAL_USAGE_SAMPLE_SECONDS: how often pods of WebApps with vertical autoscaling are sampled
 */
public record OperatorConfig(String serverImage, int drainSeconds, int graceSeconds, Set<String> watchNamespaces,
                             String leaseNamespace, int httpPort, int sampleSeconds) {
    public static final OperatorConfig DEFAULTS = new OperatorConfig("ghcr.io/corral-dev/corral-server:0.1.0", 5, 10, Set.of(), "", 8081, 30);

    public OperatorConfig {
        watchNamespaces = Set.copyOf(watchNamespaces);
    }

    /** Reads the settings; a malformed one fails with a message naming the variable. */
    public static OperatorConfig fromEnvironment(Map<String, String> env) {
        return new OperatorConfig(
                env.getOrDefault("CORRAL_SERVER_IMAGE", DEFAULTS.serverImage()).trim(),
                number(env, "CORRAL_DRAIN_SECONDS", DEFAULTS.drainSeconds(), 0, 600),
                number(env, "CORRAL_GRACE_SECONDS", DEFAULTS.graceSeconds(), 0, 600),
                Arrays.stream(env.getOrDefault("CORRAL_WATCH_NAMESPACES", "").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet()),
                env.getOrDefault("CORRAL_LEADER_ELECTION_NAMESPACE", "").trim(),
                number(env, "CORRAL_HTTP_PORT", DEFAULTS.httpPort(), 0, 65535),
                number(env, "CORRAL_USAGE_SAMPLE_SECONDS", DEFAULTS.sampleSeconds(), 1, 3600));
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " is '" + text + "'; expected a whole number from " + min + " to " + max);
    }
}
