package dev.corral.operator.autoscaling;

import java.time.Instant;

/**
 * One scrape of one server pod's admin /metrics: its cgroup counters and the process's CPU time.
 *
 * @param pod              pod name
 * @param time             when it was taken
 * @param memoryUsageBytes memory charged to the pod's cgroup
 * @param cpuPeriods       CFS periods elapsed (a counter)
 * @param throttledPeriods CFS periods in which the cgroup was throttled (a counter)
 * @param cpuSeconds       CPU time the server process used (a counter)
 */
public record PodSample(String pod, Instant time, long memoryUsageBytes, long cpuPeriods, long throttledPeriods, double cpuSeconds) {
}
