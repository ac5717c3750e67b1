package dev.corral.server.budget;

import java.time.Duration;
import java.util.Locale;

/**
 * What one request may spend: wall-clock time, CPU time and bytes allocated by its worker thread.
 * Zero means unlimited. The memory budget counts allocation, garbage included: it bounds how much a
 * request may churn through, which is what a runaway allocation looks like from inside the JVM.
 */
public record RequestBudget(Duration timeout, Duration cpu, long memoryBytes) {
    public static final RequestBudget UNLIMITED = new RequestBudget(Duration.ZERO, Duration.ZERO, 0);

    public RequestBudget {
        if (timeout.isNegative() || cpu.isNegative() || memoryBytes < 0) {
            throw new IllegalArgumentException("budgets cannot be negative");
        }
    }

    /** The first budget the request has gone past, or null while it is within all of them. */
    public Breach check(long elapsedNanos, long cpuNanos, long allocatedBytes) {
        if (!timeout.isZero() && elapsedNanos > timeout.toNanos()) {
            return new Breach(BudgetKind.TIME, seconds(timeout.toNanos()), seconds(elapsedNanos));
        }
        if (!cpu.isZero() && cpuNanos > cpu.toNanos()) {
            return new Breach(BudgetKind.CPU, seconds(cpu.toNanos()), seconds(cpuNanos));
        }
        if (memoryBytes > 0 && allocatedBytes > memoryBytes) {
            return new Breach(BudgetKind.MEMORY, mebibytes(memoryBytes) + " allocated", mebibytes(allocatedBytes));
        }
        return null;
    }

    public boolean isUnlimited() {
        return timeout.isZero() && cpu.isZero() && memoryBytes == 0;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3g s", nanos / 1e9);
    }

    private static String mebibytes(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
