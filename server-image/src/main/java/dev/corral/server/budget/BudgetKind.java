package dev.corral.server.budget;

/** The resources a request is budgeted for, and how a breach is answered. */
public enum BudgetKind {
    /** Wall-clock time from dispatch to the end of the Python call: answered 504. */
    TIME(504, "time"),
    /** CPU time of the worker thread during the request: answered 503. */
    CPU(503, "CPU"),
    /** Bytes allocated by the worker thread during the request: answered 503. */
    MEMORY(503, "memory");

    private final int status;
    private final String noun;

    BudgetKind(int status, String noun) {
        this.status = status;
        this.noun = noun;
    }

    public int status() {
        return status;
    }

    /** The label used in metrics: {@code time}, {@code cpu}, {@code memory}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public String noun() {
        return noun;
    }
}
