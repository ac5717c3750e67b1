package dev.corral.operator.autoscaling;

import java.util.List;

/**
 * The policy's answer: the state to keep (its effective quota is what the pods should run with) and the
 * changes made, each to be reported as an Event.
 */
public record QuotaDecision(QuotaState state, List<QuotaChange> changes) {
    public QuotaDecision {
        changes = List.copyOf(changes);
    }
}
