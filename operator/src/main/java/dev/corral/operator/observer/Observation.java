package dev.corral.operator.observer;

import dev.corral.operator.autoscaling.UsageObservation;
import dev.corral.operator.customresource.status.OomKill;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one reconcile saw of a WebApp, gathered once before anything is decided: the later steps
 * (quota decision, dependents, status, events) read this and nothing else of the cluster.
 *
 * @param now              when the observation was made; every timestamp of the reconcile uses it
 * @param deployment       the WebApp's Deployment as cached, or null before it exists
 * @param pods             the WebApp's pods as cached
 * @param bundleHash       what identifies the bundle's content, put on the pod template so a change rolls the pods
 * @param missingConfigMap the ConfigMap {@code spec.bundle.configMapRef} names when it does not exist, else empty
 * @param unwatchedBundle  that ConfigMap when it exists but the watch does not hold it yet (it lacks the label), read directly
 * @param newOomKills      OOM kills not counted in status yet, oldest first
 * @param oomKills         every OOM kill counted so far, the new ones included
 * @param usage            the pods' recent usage, when vertical autoscaling is on
 */
public record Observation(Instant now, Deployment deployment, List<Pod> pods, String bundleHash, Optional<String> missingConfigMap,
                          Optional<ConfigMap> unwatchedBundle,
                          List<OomKill> newOomKills, int oomKills, Optional<UsageObservation> usage) {
    public Observation {
        pods = List.copyOf(pods);
        newOomKills = List.copyOf(newOomKills);
    }
}
