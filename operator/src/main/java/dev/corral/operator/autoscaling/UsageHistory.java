package dev.corral.operator.autoscaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One WebApp's recent usage, from successive scrapes of its pods: whether throttling has lasted, and
 * the peak memory and CPU over a window. Counters become rates between two scrapes of the same pod;
 * a pod that restarted (counters went down) starts over. Kept in memory by the reconciler: after an
 * operator restart the window fills again before anything is lowered.
 */
public final class UsageHistory {
    /** One scrape round: the busiest pod's memory and CPU. */
    private record Point(Instant time, long memoryBytes, double cpuCores) {
    }

    private final Map<String, PodSample> lastByPod = new HashMap<>();
    private final Deque<Point> points = new ArrayDeque<>();
    private Instant firstRound;
    private Instant lastRound;
    private Instant throttledSince;

    /** Adds a round of samples and returns what the policy needs, over {@code window}. */
    public synchronized UsageObservation record(Instant now, List<PodSample> samples, double throttlingThreshold, Duration window,
                                                int oomKills, boolean horizontalEnabled) {
        long periods = 0;
        long throttled = 0;
        double cpuPeak = -1;
        long memoryPeak = -1;
        Map<String, PodSample> seen = new HashMap<>();
        for (PodSample sample : samples) {
            seen.put(sample.pod(), sample);
            memoryPeak = Math.max(memoryPeak, sample.memoryUsageBytes());
            PodSample before = lastByPod.get(sample.pod());
            if (before == null || !sample.time().isAfter(before.time()) || sample.cpuPeriods() < before.cpuPeriods()
                    || sample.cpuSeconds() < before.cpuSeconds()) {
                continue;
            }
            periods += sample.cpuPeriods() - before.cpuPeriods();
            throttled += Math.max(0, sample.throttledPeriods() - before.throttledPeriods());
            double seconds = Duration.between(before.time(), sample.time()).toNanos() / 1e9;
            cpuPeak = Math.max(cpuPeak, (sample.cpuSeconds() - before.cpuSeconds()) / seconds);
        }
        lastByPod.clear();
        lastByPod.putAll(seen);
        lastRound = now;

        if (!samples.isEmpty()) {
            if (firstRound == null) {
                firstRound = now;
            }
            boolean starved = periods > 0 && (double) throttled / periods >= throttlingThreshold;
            if (!starved) {
                throttledSince = null;
            } else if (throttledSince == null) {
                throttledSince = now;
            }
            points.addLast(new Point(now, memoryPeak, cpuPeak));
        }
        return observe(now, window, oomKills, horizontalEnabled);
    }

    /** True when the last round is at least about {@code interval} old: reconciles between rounds reuse it. */
    public synchronized boolean due(Instant now, Duration interval) {
        // A tenth of slack: a reconcile rescheduled after exactly the interval must not just miss it.
        return lastRound == null || !now.isBefore(lastRound.plus(interval.minus(interval.dividedBy(10))));
    }

    /** What the rounds so far show over {@code window}, without a new round. */
    public synchronized UsageObservation observe(Instant now, Duration window, int oomKills, boolean horizontalEnabled) {
        while (!points.isEmpty() && points.peekFirst().time().isBefore(now.minus(window))) {
            points.removeFirst();
        }
        long memory = points.stream().mapToLong(Point::memoryBytes).max().orElse(-1);
        double cpu = points.stream().filter(p -> p.cpuCores() >= 0).mapToDouble(Point::cpuCores).max().orElse(-1);
        Duration observed = firstRound == null ? Duration.ZERO : Duration.between(firstRound, now);
        return new UsageObservation(now, oomKills, horizontalEnabled, throttledSince, memory, cpu,
                observed.compareTo(window) > 0 ? window : observed);
    }
}
