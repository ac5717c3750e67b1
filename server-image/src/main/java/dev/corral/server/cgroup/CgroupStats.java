package dev.corral.server.cgroup;

/**
 * One reading of the pod's cgroup: what it may use and what it used. {@code -1} means "no limit" for
 * limits and "not reported by this kernel" for counters.
 */
public record CgroupStats(long memoryUsageBytes, long memoryLimitBytes, double cpuQuotaCores,
                          long cpuPeriods, long cpuThrottledPeriods, long cpuThrottledNanos, long oomKills) {
}
