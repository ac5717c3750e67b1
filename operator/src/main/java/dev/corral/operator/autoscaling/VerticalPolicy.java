package dev.corral.operator.autoscaling;

import dev.corral.operator.customresource.spec.ApplyMethod;
import dev.corral.operator.customresource.spec.VerticalScaling;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WebApp's vertical autoscaling settings, parsed once from its spec.
 *
 * @param min                 lowest quota
 * @param max                 highest quota
 * @param step                the least a raise adds, per resource
 * @param raiseFactor         a raise multiplies by this (or adds the step, whichever is more)
 * @param maxFactor           one raise never more than multiplies by this
 * @param cooldown            least time between raises of one resource; doubles with each raise in a row
 * @param maxRaises           memory raises in a row before further OOM kills mean a suspected leak
 * @param throttlingThreshold fraction of CPU periods throttled that counts as starved
 * @param sustainFor          how long throttling must last before a CPU raise
 * @param headroom            a lowered quota stays this fraction above the observed peak
 * @param lowerAfter          quiet time before lowering, and the window the peak is taken over
 * @param apply               how changes reach the pods
 */
public record VerticalPolicy(Quota min, Quota max, Quota step, double raiseFactor, double maxFactor, Duration cooldown,
                             int maxRaises, double throttlingThreshold, Duration sustainFor, double headroom,
                             Duration lowerAfter, ApplyMethod apply) {
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

    public static VerticalPolicy from(VerticalScaling spec) {
        return new VerticalPolicy(
                Quota.of(spec.getMinCpu(), spec.getMinMemory()),
                Quota.of(spec.getMaxCpu(), spec.getMaxMemory()),
                Quota.of(spec.getCpuStep(), spec.getMemoryStep()),
                spec.getRaiseFactor(), Math.max(spec.getMaxFactor(), spec.getRaiseFactor()),
                duration(spec.getCooldown()), spec.getMaxRaises(), spec.getThrottlingThreshold(),
                duration(spec.getSustainFor()), spec.getHeadroom(), duration(spec.getLowerAfter()),
                spec.getApply() == null ? ApplyMethod.Auto : spec.getApply());
    }

    /** A Go-style duration as Kubernetes writes them: "90s", "5m", "1h30m", "250ms". */
    public static Duration duration(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is empty");
        }
        Matcher part = DURATION_PART.matcher(text.trim());
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            double amount = Double.parseDouble(part.group(1));
            long millis = switch (part.group(2)) {
                case "ms" -> Math.round(amount);
                case "s" -> Math.round(amount * 1_000);
                case "m" -> Math.round(amount * 60_000);
                default -> Math.round(amount * 3_600_000);
            };
            total = total.plusMillis(millis);
            end = part.end();
        }
        if (end != text.trim().length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 90s, 5m or 1h30m");
        }
        return total;
    }
}
