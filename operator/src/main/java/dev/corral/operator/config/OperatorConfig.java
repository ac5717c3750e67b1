package dev.corral.operator.config;

/**
 * The operator's own settings, parsed once.
 *
 * @param serverImage      the Corral server image pods run when a WebApp names none
 * @param drainSeconds     how long a server keeps accepting after SIGTERM before it stops (its --drain-delay)
 * @param graceSeconds     extra seconds on top of request timeout and drain before the kubelet kills a pod
 */
public record OperatorConfig(String serverImage, int drainSeconds, int graceSeconds) {
    public static final OperatorConfig DEFAULTS = new OperatorConfig("ghcr.io/corral-dev/corral-server:0.1.0", 5, 10);
}
