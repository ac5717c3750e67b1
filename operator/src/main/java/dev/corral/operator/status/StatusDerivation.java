package dev.corral.operator.status;

import dev.corral.operator.autoscaling.QuotaChange;
import dev.corral.operator.autoscaling.QuotaPlan;
import dev.corral.operator.autoscaling.QuotaState;
import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.status.EffectiveResources;
import dev.corral.operator.customresource.status.OomKill;
import dev.corral.operator.customresource.status.VerticalScalingStatus;
import dev.corral.operator.customresource.status.WebAppStatus;
import dev.corral.operator.dependent.ServerService;
import dev.corral.operator.dependent.WebAppLabels;
import dev.corral.operator.observer.Observation;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Derives a WebApp's status from what the reconcile observed (its Deployment, the OOM kills in its
 * pods, a missing bundle ConfigMap) and what the vertical autoscaler planned. Pure: the reconciler
 * observes and decides, this writes the status down, the reconciler patches it.
 */
public final class StatusDerivation {
    /** Kills closer together than this keep the WebApp Degraded. */
    public static final Duration OOM_WINDOW = Duration.ofMinutes(10);
    static final String REPEATED_OOM_KILLS = "RepeatedOOMKills";
    static final String BUNDLE_NOT_FOUND = "BundleNotFound";

    private StatusDerivation() {
    }

    /** The whole status of one reconcile: the one place a reconciled WebApp's status is built. */
    public static WebAppStatus of(WebApp webApp, Observation seen, Optional<QuotaPlan> plan) {
        Instant now = seen.now();
        WebAppStatus status = derive(webApp, seen.deployment(), seen.newOomKills(), now);
        seen.missingConfigMap().ifPresent(name -> bundleNotFound(status, name, webApp.getMetadata().getNamespace(), now));
        plan.ifPresentOrElse(p -> autoscaling(status, webApp.getStatus(), p, now),
                () -> status.setConditions(Conditions.remove(status.getConditions(), Conditions.MEMORY_LEAK_SUSPECTED)));
        return status;
    }

    /** The vertical autoscaler's part: effective quota, its memory of past changes, and the leak condition. */
    static void autoscaling(WebAppStatus status, WebAppStatus previous, QuotaPlan plan, Instant now) {
        QuotaState state = plan.decision().state();
        status.setEffectiveResources(new EffectiveResources(state.effective().cpuText(), state.effective().memoryText()));
        VerticalScalingStatus memory = new VerticalScalingStatus();
        memory.setBaseline(state.baseline());
        memory.setApplyMethod(plan.method().name());
        memory.setInPlaceRefused(plan.inPlaceRefused());
        memory.setMemoryRaises(state.memoryRaises());
        memory.setCpuRaises(state.cpuRaises());
        memory.setLastMemoryChange(state.lastMemoryChange() == null ? null : state.lastMemoryChange().toString());
        memory.setLastCpuChange(state.lastCpuChange() == null ? null : state.lastCpuChange().toString());
        memory.setOomKillsHandled(state.oomKillsHandled());
        List<QuotaChange> changes = plan.decision().changes();
        String lastBefore = previous == null || previous.getAutoscaling() == null ? null : previous.getAutoscaling().getLastChange();
        memory.setLastChange(changes.isEmpty() ? lastBefore : changes.get(changes.size() - 1).message());
        status.setAutoscaling(memory);
        long generation = status.getObservedGeneration();
        status.setConditions(Conditions.set(status.getConditions(), Conditions.MEMORY_LEAK_SUSPECTED, state.leakSuspected(),
                state.leakSuspected() ? "RepeatedOOMKills" : "NoEvidence",
                state.leakSuspected() ? state.leakEvidence() : "memory raises have kept up with OOM kills", generation, now));
    }

    public static WebAppStatus derive(WebApp webApp, Deployment deployment, List<OomKill> newKills, Instant now) {
        WebAppStatus previous = webApp.getStatus() == null ? new WebAppStatus() : webApp.getStatus();
        long generation = webApp.getMetadata().getGeneration() == null ? 0 : webApp.getMetadata().getGeneration();
        WebAppStatus status = new WebAppStatus();
        status.setObservedGeneration(generation);
        status.setSelector(WebAppLabels.selectorString(webApp));
        status.setUrl(ServerService.url(webApp));
        status.setEffectiveResources(new EffectiveResources(webApp.getSpec().getResources().getCpu().toString(),
                webApp.getSpec().getResources().getMemory().toString()));

        int previousKills = previous.getOomKills() == null ? 0 : previous.getOomKills();
        status.setOomKills(previousKills + newKills.size());
        OomKill lastBefore = previous.getLastOOMKill();
        status.setLastOOMKill(newKills.isEmpty() ? lastBefore : newKills.get(newKills.size() - 1));
        status.setCountedOOMKills(OomKills.counted(previous.getCountedOOMKills(), newKills));

        DeploymentStatus observed = deployment == null ? null : deployment.getStatus();
        int desired = webApp.getSpec().getReplicas();
        int replicas = observed == null || observed.getReplicas() == null ? 0 : observed.getReplicas();
        int ready = observed == null || observed.getReadyReplicas() == null ? 0 : observed.getReadyReplicas();
        int updated = observed == null || observed.getUpdatedReplicas() == null ? 0 : observed.getUpdatedReplicas();
        boolean rolledOut = observed != null && observed.getObservedGeneration() != null
                && observed.getObservedGeneration() >= deployment.getMetadata().getGeneration();
        status.setReplicas(replicas);
        status.setReadyReplicas(ready);

        var conditions = previous.getConditions();
        boolean isReady = rolledOut && updated == desired && ready >= desired;
        conditions = Conditions.set(conditions, Conditions.READY, isReady,
                isReady ? "AllReplicasReady" : "ReplicasNotReady",
                ready + " of " + desired + " pods ready", generation, now);
        boolean progressing = !isReady && desired > 0;
        conditions = Conditions.set(conditions, Conditions.PROGRESSING, progressing,
                progressing ? "RollingOut" : "Stable",
                progressing ? updated + " of " + desired + " pods run the current spec" : "the current spec is rolled out", generation, now);

        OomKill latest = status.getLastOOMKill();
        // Degraded from a repeat until the window after the latest kill has passed quietly.
        boolean degraded = repeatedKills(lastBefore, newKills)
                || (Conditions.isTrue(previous.getConditions(), Conditions.DEGRADED, REPEATED_OOM_KILLS) && latest != null
                && Duration.between(Instant.parse(latest.getTime()), now).compareTo(OOM_WINDOW) <= 0);
        conditions = Conditions.set(conditions, Conditions.DEGRADED, degraded,
                degraded ? REPEATED_OOM_KILLS : "Healthy",
                degraded ? "pod " + latest.getPod() + " was OOM-killed again within " + OOM_WINDOW.toMinutes()
                        + " minutes; raise resources.memory or find the leak" : "no repeated OOM kills", generation, now);
        status.setConditions(conditions);
        return status;
    }

    /**
     * The ConfigMap that {@code spec.bundle.configMapRef} names does not exist: Degraded=True, and Ready=False
     * says why when pods are missing. Pods already running keep the bundle they mounted (the operator does
     * not roll them for a deleted ConfigMap); new pods cannot start until it exists.
     */
    public static void bundleNotFound(WebAppStatus status, String configMap, String namespace, Instant now) {
        long generation = status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
        String missing = "ConfigMap " + configMap + " (spec.bundle.configMapRef) does not exist in namespace " + namespace;
        var conditions = Conditions.set(status.getConditions(), Conditions.DEGRADED, true, BUNDLE_NOT_FOUND,
                missing + ": running pods keep the bundle they mounted, new pods cannot start until it exists", generation, now);
        if (!Conditions.isTrue(conditions, Conditions.READY)) {
            conditions = Conditions.set(conditions, Conditions.READY, false, BUNDLE_NOT_FOUND,
                    missing + "; create it (its keys are the bundle's file names)", generation, now);
        }
        status.setConditions(conditions);
    }

    /** The status of a WebApp whose spec cannot be honoured: Ready=False/InvalidSpec, the rest kept. */
    /** A spec whose objects the API server refused: Ready=False, RefusedByApiServer, with its message. */
    public static WebAppStatus refused(WebApp webApp, String message, Instant now) {
        return notHonoured(webApp, "RefusedByApiServer", message + " (retried with backoff; the pods already running are left as they are)", now);
    }

    public static WebAppStatus invalid(WebApp webApp, String problems, Instant now) {
        return notHonoured(webApp, "InvalidSpec", problems + " (the pods already running are left as they are)", now);
    }

    /** The previous status kept, with Ready=False for this reason: the spec cannot be honoured as it is. */
    private static WebAppStatus notHonoured(WebApp webApp, String reason, String message, Instant now) {
        WebAppStatus previous = webApp.getStatus() == null ? new WebAppStatus() : webApp.getStatus();
        long generation = webApp.getMetadata().getGeneration() == null ? 0 : webApp.getMetadata().getGeneration();
        WebAppStatus status = new WebAppStatus();
        status.setObservedGeneration(generation);
        status.setReplicas(previous.getReplicas());
        status.setReadyReplicas(previous.getReadyReplicas());
        status.setSelector(previous.getSelector());
        status.setUrl(previous.getUrl());
        status.setEffectiveResources(previous.getEffectiveResources());
        status.setOomKills(previous.getOomKills());
        status.setLastOOMKill(previous.getLastOOMKill());
        status.setCountedOOMKills(previous.getCountedOOMKills());
        status.setConditions(Conditions.set(previous.getConditions(), Conditions.READY, false, reason, message, generation, now));
        return status;
    }

    /** Two or more kills within the window, counting the one already on record. */
    static boolean repeatedKills(OomKill recorded, List<OomKill> newKills) {
        if (newKills.isEmpty()) {
            return false;
        }
        if (newKills.size() >= 2) {
            Instant first = Instant.parse(newKills.get(newKills.size() - 2).getTime());
            Instant last = Instant.parse(newKills.get(newKills.size() - 1).getTime());
            if (Duration.between(first, last).compareTo(OOM_WINDOW) <= 0) {
                return true;
            }
        }
        return recorded != null && Duration.between(Instant.parse(recorded.getTime()), Instant.parse(newKills.get(0).getTime()))
                .compareTo(OOM_WINDOW) <= 0;
    }
}
