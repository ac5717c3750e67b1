package dev.corral.server.budget;

import java.time.Duration;

/**
 * A route's changes to the default budget; a null field keeps the default, zero lifts the limit.
 * {@code maxConcurrent} caps how many of the route's requests run at once (null: no cap), so a known-slow
 * route cannot take every worker from the fast ones.
 */
public record BudgetOverride(Duration timeout, Duration cpu, Long memoryBytes, Integer maxConcurrent) {

    public BudgetOverride(Duration timeout, Duration cpu, Long memoryBytes) {
        this(timeout, cpu, memoryBytes, null);
    }

    RequestBudget applyTo(RequestBudget defaults) {
        return new RequestBudget(
                timeout != null ? timeout : defaults.timeout(),
                cpu != null ? cpu : defaults.cpu(),
                memoryBytes != null ? memoryBytes : defaults.memoryBytes());
    }
}
