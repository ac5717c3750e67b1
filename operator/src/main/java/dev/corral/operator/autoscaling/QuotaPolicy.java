package dev.corral.operator.autoscaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides a WebApp's pod quota: what to change, by how much, and when. Pure; the reconciler observes
 * and applies.
 * <ul>
 *   <li>Memory rises after OOM kills, in a bounded step, at once for the first kill and then with an
 *   exponential backoff. At the ceiling, or when kills continue after {@code maxRaises} raises in a
 *   row, it stops and records the evidence as a suspected leak instead of growing forever.</li>
 *   <li>CPU rises when throttling past the threshold lasts {@code sustainFor}, with the same steps
 *   and backoff.</li>
 *   <li>After {@code lowerAfter} without a change, a quota well above the observed peak plus headroom
 *   comes down, by at most a quarter at a time and never below the minimum. That quiet period also
 *   ends a run of raises.</li>
 *   <li>With horizontal scaling on, CPU is left alone: the HPA measures utilisation against the CPU
 *   quota, so moving it would move the HPA's target under its feet. Throttling then adds pods
 *   (through the HPA) rather than cores, and only memory is adjusted here.</li>
 * </ul>
 */
public final class QuotaPolicy {
    /** A lowering happens only when the target is at least this much below the current quota. */
    private static final double WORTH_LOWERING = 0.9;
    /** One lowering takes off at most a quarter. */
    private static final double SLOWEST_LOWERING = 0.75;

    private QuotaPolicy() {
    }

    /** As {@link #decide(VerticalPolicy, Quota, String, QuotaState, UsageObservation, int)}, a fresh start counting every kill seen as handled. */
    public static QuotaDecision decide(VerticalPolicy policy, Quota spec, String baseline, QuotaState previous,
                                       UsageObservation seen) {
        return decide(policy, spec, baseline, previous, seen, seen.oomKills());
    }

    /**
     * @param spec           the quota the spec asks for (the start, and where a spec change resets to)
     * @param baseline       identifies the spec quota and policy; when it differs from the state's, the state resets
     * @param previous       the state from the last decision, or null the first time
     * @param oomKillsBefore the kills a fresh start counts as handled: those counted before this observation, so
     *                       a kill first seen now is acted on even by the decision that starts afresh
     */
    public static QuotaDecision decide(VerticalPolicy policy, Quota spec, String baseline, QuotaState previous,
                                       UsageObservation seen, int oomKillsBefore) {
        QuotaState state = previous == null || !baseline.equals(previous.baseline())
                ? QuotaState.start(spec.within(policy.min(), policy.max()), baseline, oomKillsBefore)
                : previous;
        Quota effective = state.effective().within(policy.min(), policy.max());
        List<QuotaChange> changes = new ArrayList<>();

        // Memory.
        int memoryRaises = state.memoryRaises();
        Instant lastMemory = state.lastMemoryChange();
        int handled = state.oomKillsHandled();
        String leak = state.leakEvidence();
        int pending = seen.oomKills() - handled;
        if (pending > 0) {
            long raised = raise(effective.memoryBytes(), policy.step().memoryBytes(), policy, policy.max().memoryBytes(), Quota.MI);
            if (raised <= effective.memoryBytes()) {
                leak = pending + " OOM kill(s) at the memory ceiling " + effective.memoryText()
                        + " (maxMemory); not raising further. Look for a leak, or raise maxMemory";
                handled = seen.oomKills();
            } else if (memoryRaises >= policy.maxRaises()) {
                leak = "OOM kills continue after " + memoryRaises + " raises in a row (now " + effective.memoryText()
                        + "); not raising further. Look for a leak, or change resources.memory";
                handled = seen.oomKills();
            } else if (!backedOff(lastMemory, memoryRaises, policy.cooldown(), seen.now())) {
                // Wait: the kills stay pending and are acted on once the backoff has passed.
            } else {
                changes.add(new QuotaChange("memory", true, effective.memoryText(), new Quota(0, raised).memoryText(),
                        pending + " OOM kill(s) since the last change (raise " + (memoryRaises + 1) + " of at most "
                                + policy.maxRaises() + " in a row)"));
                effective = effective.withMemoryBytes(raised);
                memoryRaises++;
                lastMemory = seen.now();
                handled = seen.oomKills();
            }
        } else if (quietSince(lastMemory, policy.lowerAfter(), seen.now())) {
            memoryRaises = 0;
            if (leak == null && seen.peakMemoryBytes() >= 0 && covers(seen, policy)) {
                long target = roundUp(Math.max(policy.min().memoryBytes(), (long) Math.ceil(seen.peakMemoryBytes() * (1 + policy.headroom()))), Quota.MI);
                long lowered = lower(effective.memoryBytes(), target, Quota.MI);
                if (lowered < effective.memoryBytes()) {
                    changes.add(new QuotaChange("memory", false, effective.memoryText(), new Quota(0, lowered).memoryText(),
                            "peak use " + mebibytes(seen.peakMemoryBytes()) + " over the last " + human(policy.lowerAfter())
                                    + " plus " + percent(policy.headroom()) + " headroom"));
                    effective = effective.withMemoryBytes(lowered);
                    lastMemory = seen.now();
                }
            }
        }

        // CPU: the HPA's while horizontal scaling is on.
        int cpuRaises = state.cpuRaises();
        Instant lastCpu = state.lastCpuChange();
        if (!seen.horizontalEnabled()) {
            boolean starved = seen.throttledSince() != null
                    && Duration.between(seen.throttledSince(), seen.now()).compareTo(policy.sustainFor()) >= 0;
            if (starved) {
                long raised = raise(effective.milliCpu(), policy.step().milliCpu(), policy, policy.max().milliCpu(), 10);
                if (raised > effective.milliCpu() && backedOff(lastCpu, cpuRaises, policy.cooldown(), seen.now())) {
                    changes.add(new QuotaChange("cpu", true, effective.cpuText(), new Quota(raised, 0).cpuText(),
                            "throttled in at least " + percent(policy.throttlingThreshold()) + " of CPU periods for "
                                    + human(Duration.between(seen.throttledSince(), seen.now()))));
                    effective = effective.withMilliCpu(raised);
                    cpuRaises++;
                    lastCpu = seen.now();
                }
            } else if (seen.throttledSince() == null && quietSince(lastCpu, policy.lowerAfter(), seen.now())) {
                cpuRaises = 0;
                if (seen.peakCpuCores() >= 0 && covers(seen, policy)) {
                    long target = roundUp(Math.max(policy.min().milliCpu(), (long) Math.ceil(seen.peakCpuCores() * 1000 * (1 + policy.headroom()))), 10);
                    long lowered = lower(effective.milliCpu(), target, 10);
                    if (lowered < effective.milliCpu()) {
                        changes.add(new QuotaChange("cpu", false, effective.cpuText(), new Quota(lowered, 0).cpuText(),
                                String.format("peak use %.2f cores over the last %s plus %s headroom",
                                        seen.peakCpuCores(), human(policy.lowerAfter()), percent(policy.headroom()))));
                        effective = effective.withMilliCpu(lowered);
                        lastCpu = seen.now();
                    }
                }
            }
        }

        return new QuotaDecision(new QuotaState(effective, baseline, memoryRaises, cpuRaises, lastMemory, lastCpu, handled, leak), changes);
    }

    /** One step up: at least the step, the raise factor if more, never past the max factor or the ceiling. */
    static long raise(long current, long step, VerticalPolicy policy, long ceiling, long unit) {
        long wanted = Math.max(current + step, (long) Math.ceil(current * policy.raiseFactor()));
        long bounded = Math.min(wanted, (long) Math.floor(current * policy.maxFactor()));
        return Math.min(roundUp(bounded, unit), ceiling);
    }

    /** One step down towards the target, by at most a quarter; the current value when not worth it. */
    static long lower(long current, long target, long unit) {
        if (target >= current * WORTH_LOWERING) {
            return current;
        }
        return Math.min(current, roundUp(Math.max(target, (long) Math.ceil(current * SLOWEST_LOWERING)), unit));
    }

    /**
     * The backoff after the last of {@code raises} raises in a row: cooldown, doubled per further raise.
     * The first raise of a run (after a quiet period or a lowering that proved too low) is immediate.
     */
    static boolean backedOff(Instant last, int raises, Duration cooldown, Instant now) {
        if (last == null || raises == 0) {
            return true;
        }
        Duration wait = cooldown.multipliedBy(1L << Math.min(raises - 1, 20));
        return !now.isBefore(last.plus(wait));
    }

    private static boolean quietSince(Instant last, Duration quiet, Instant now) {
        return last == null || !now.isBefore(last.plus(quiet));
    }

    private static boolean covers(UsageObservation seen, VerticalPolicy policy) {
        return seen.observedFor().compareTo(policy.lowerAfter()) >= 0;
    }

    private static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }

    private static String mebibytes(long bytes) {
        return (bytes + Quota.MI - 1) / Quota.MI + "Mi";
    }

    private static String percent(double fraction) {
        return Math.round(fraction * 100) + "%";
    }

    private static String human(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
