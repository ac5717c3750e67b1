package dev.corral.operator.autoscaling;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the kubelet said of a resize it could not carry out. A pods/resize patch the API server accepts
 * is only a request: the kubelet then sets {@code PodResizePending} on the pod, with reason
 * {@code Infeasible} (the node can never fit it) or {@code Deferred} (not now), or applies it
 * ({@code PodResizeInProgress}, then the container status shows the new resources).
 */
public final class ResizeRefusals {
    static final String PENDING = "PodResizePending";
    private static final Set<String> GIVE_UP = Set.of("Infeasible", "Deferred");

    private ResizeRefusals() {
    }

    /** The first refusal among the pods, as "pod NAME: REASON: message", or empty when none refused. */
    public static Optional<String> of(List<Pod> pods) {
        for (Pod pod : pods) {
            if (pod.getStatus() == null || pod.getStatus().getConditions() == null || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            for (PodCondition condition : pod.getStatus().getConditions()) {
                if (PENDING.equals(condition.getType()) && "True".equals(condition.getStatus()) && GIVE_UP.contains(condition.getReason())) {
                    return Optional.of("pod " + pod.getMetadata().getName() + ": " + condition.getReason()
                            + (condition.getMessage() == null || condition.getMessage().isBlank() ? "" : ": " + condition.getMessage()));
                }
            }
        }
        return Optional.empty();
    }
}
