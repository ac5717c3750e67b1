package dev.corral.operator.status;

import dev.corral.operator.customresource.status.OomKill;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds OOM kills in a WebApp's pods. The kubelet keeps only each container's last termination, so a
 * kill is new when it finished after the newest one already recorded in status: the watermark lives in
 * the WebApp itself and survives operator restarts.
 */
public final class OomKills {
    public static final String REASON = "OOMKilled";

    private OomKills() {
    }

    /** Kills that finished after {@code recordedUpTo} (null: none recorded yet), oldest first. */
    public static List<OomKill> since(List<Pod> pods, Instant recordedUpTo) {
        List<OomKill> kills = new ArrayList<>();
        for (Pod pod : pods) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
                continue;
            }
            for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                ContainerStateTerminated last = container.getLastState() == null ? null : container.getLastState().getTerminated();
                if (last == null || !REASON.equals(last.getReason()) || last.getFinishedAt() == null) {
                    continue;
                }
                Instant finished = Instant.parse(last.getFinishedAt());
                if (recordedUpTo == null || finished.isAfter(recordedUpTo)) {
                    kills.add(new OomKill(pod.getMetadata().getName(), container.getName(), finished.toString()));
                }
            }
        }
        kills.sort(Comparator.comparing(k -> Instant.parse(k.getTime())));
        return kills;
    }
}
