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
 * Finds OOM kills in a WebApp's pods. The kubelet keeps only each container's last termination; a kill
 * is identified by pod, container and the restart count that followed it, and is new when status has
 * not counted that key yet. (Times alone cannot tell kills apart: the API server keeps them to the
 * second, so two pods killed in the same second would be one.) The counted keys live in the WebApp's
 * status, so they survive operator restarts.
 */
public final class OomKills {
    public static final String REASON = "OOMKilled";

    private OomKills() {
    }

    /** At most this many counted kills are remembered; older keys belong to pods long gone. */
    public static final int REMEMBERED = 64;

    /** Kills whose key is not in {@code counted}, oldest first. */
    public static List<OomKill> uncounted(List<Pod> pods, java.util.Collection<String> counted) {
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
                OomKill kill = new OomKill(pod.getMetadata().getName(), container.getName(), finished.toString(), container.getRestartCount());
                if (!counted.contains(kill.key())) {
                    kills.add(kill);
                }
            }
        }
        kills.sort(Comparator.comparing((OomKill k) -> Instant.parse(k.getTime())).thenComparing(OomKill::key));
        return kills;
    }

    /** The keys counted before, then the new kills', keeping the newest {@link #REMEMBERED}. */
    public static List<String> counted(List<String> before, List<OomKill> newKills) {
        List<String> all = new ArrayList<>(before == null ? List.of() : before);
        newKills.forEach(k -> all.add(k.key()));
        return List.copyOf(all.subList(Math.max(0, all.size() - REMEMBERED), all.size()));
    }
}
