package dev.corral.operator.autoscaling;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A pod's quota in exact units, so the policy's arithmetic never meets Quantity's formats.
 *
 * @param milliCpu    CPU limit in millicores
 * @param memoryBytes memory limit in bytes
 */
public record Quota(long milliCpu, long memoryBytes) {
    static final long MI = 1024L * 1024;
    private static final long GI = 1024 * MI;

    public static Quota of(Quantity cpu, Quantity memory) {
        return new Quota(milliCpu(cpu), bytes(memory));
    }

    /** Parses the text of a Quantity ("500m", "1.5", "768Mi"). */
    public static Quota of(String cpu, String memory) {
        return of(new Quantity(cpu), new Quantity(memory));
    }

    static long milliCpu(Quantity cpu) {
        return Quantity.getAmountInBytes(cpu).multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    static long bytes(Quantity memory) {
        return Quantity.getAmountInBytes(memory).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** "2", "1500m": whole cores where exact. */
    public String cpuText() {
        return milliCpu % 1000 == 0 ? Long.toString(milliCpu / 1000) : milliCpu + "m";
    }

    /** "2Gi", "1152Mi", else bytes. */
    public String memoryText() {
        if (memoryBytes % GI == 0) {
            return memoryBytes / GI + "Gi";
        }
        return memoryBytes % MI == 0 ? memoryBytes / MI + "Mi" : Long.toString(memoryBytes);
    }

    public Quantity cpuQuantity() {
        return new Quantity(cpuText());
    }

    public Quantity memoryQuantity() {
        return new Quantity(memoryText());
    }

    Quota withMilliCpu(long value) {
        return new Quota(value, memoryBytes);
    }

    Quota withMemoryBytes(long value) {
        return new Quota(milliCpu, value);
    }

    /** This quota held within the bounds. */
    Quota within(Quota min, Quota max) {
        return new Quota(Math.clamp(milliCpu, min.milliCpu, max.milliCpu), Math.clamp(memoryBytes, min.memoryBytes, max.memoryBytes));
    }
}
