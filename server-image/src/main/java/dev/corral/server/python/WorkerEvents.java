package dev.corral.server.python;

import dev.corral.server.budget.BudgetKind;

/** What the workers and their supervisor report, for metrics. */
public interface WorkerEvents {
    /** A request went past a budget and is being stopped. */
    void breached(BudgetKind kind);

    /** An interrupt did not stop a request within the grace period: its interpreter was cancelled. */
    void cancelled(BudgetKind kind);

    /** A worker got a fresh interpreter: {@code recycled}, {@code cancelled}, {@code exhausted} or {@code died}. */
    void replaced(String reason);

    /** A queued request was dropped without running because its client had already left. */
    default void abandoned() {
    }

    /** A replacement interpreter could not import the application; its slot stays empty until a retry works. */
    default void importFailed() {
    }
}
