package dev.corral.operator.autoscaling;

import java.time.Duration;
import java.time.Instant;

/**
 * What the operator saw of a WebApp's pods, as the policy needs it.
 *
 * @param now               when
 * @param oomKills          the WebApp's OOM kill count so far
 * @param horizontalEnabled whether an HPA scales the WebApp (then CPU is the HPA's to manage)
 * @param throttledSince    since when the pods have been throttled past the threshold without a break, or null
 * @param peakMemoryBytes   the highest memory use of any pod over the window, or -1 when unknown
 * @param peakCpuCores      the highest CPU use (cores) of any pod over the window, or -1 when unknown
 * @param observedFor       how long usage has been sampled, up to the window
 */
public record UsageObservation(Instant now, int oomKills, boolean horizontalEnabled, Instant throttledSince,
                               long peakMemoryBytes, double peakCpuCores, Duration observedFor) {
}
