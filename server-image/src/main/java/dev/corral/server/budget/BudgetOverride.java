package dev.corral.server.budget;

import java.time.Duration;

/** A route's changes to the default budget; a null field keeps the default, zero lifts the limit. */
public record BudgetOverride(Duration timeout, Duration cpu, Long memoryBytes) {

    RequestBudget applyTo(RequestBudget defaults) {
        return new RequestBudget(
                timeout != null ? timeout : defaults.timeout(),
                cpu != null ? cpu : defaults.cpu(),
                memoryBytes != null ? memoryBytes : defaults.memoryBytes());
    }
}
