package dev.corral.operator.reconciler;

import dev.corral.operator.autoscaling.QuotaChange;
import dev.corral.operator.autoscaling.QuotaPlan;
import dev.corral.operator.autoscaling.QuotaState;
import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.ApplyMethod;
import dev.corral.operator.customresource.status.OomKill;
import dev.corral.operator.customresource.status.WebAppStatus;
import dev.corral.operator.dependent.BundleHash;
import dev.corral.operator.monitoring.ReconcileMetrics;
import dev.corral.operator.observer.Observation;
import dev.corral.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Clock;
import java.time.Instant;

/**
 * The Events of a reconcile, on the WebApp where users look, with the pod named where there is one.
 * Every Event's name derives from what it reports (a kill's key, a decision and the state it started
 * from, a generation), so a reconcile on a stale cache repeating the same finding cannot report it twice:
 * a repeat create is a 409, taken as "already reported".
 */
final class WebAppEvents {
    private final ReconcileMetrics metrics;
    private final Clock clock;

    WebAppEvents(ReconcileMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    /** One Warning per new OOM kill. */
    void observed(KubernetesClient client, WebApp webApp, Observation seen) {
        for (OomKill kill : seen.newOomKills()) {
            event(client, webApp, name(webApp, "oom", kill.key()), "Warning", "OOMKilled", "container " + kill.getContainer()
                    + " of pod " + kill.getPod() + " was OOM-killed by the kernel at " + kill.getTime() + "; other pods are unaffected");
        }
    }

    /** Each quota change as a Normal Event and a metric; a refused in-place resize and a newly suspected leak as Warnings. */
    void planned(KubernetesClient client, WebApp webApp, QuotaPlan plan) {
        WebAppStatus status = webApp.getStatus();
        var before = status == null ? null : status.getAutoscaling();
        String prior = before == null ? "start" : before.getLastMemoryChange() + "/" + before.getLastCpuChange() + "/" + before.getOomKillsHandled();
        for (QuotaChange change : plan.decision().changes()) {
            // Named by what changed, not by the message: its reason carries figures of the moment (how long throttling
            // lasted), so a reconcile on a stale cache repeating the same change would otherwise report it twice.
            String identity = change.resource() + ":" + change.from() + "->" + change.to() + "@" + prior;
            boolean first = event(client, webApp, name(webApp, "quota", identity), "Normal", change.eventReason(),
                    change.message() + " (applied " + (plan.method() == ApplyMethod.InPlace ? "in place" : "by rollout") + ")");
            if (first) {
                metrics.quotaChanged(webApp.getMetadata().getNamespace(), webApp.getMetadata().getName(), change.resource(), change.raised());
            }
        }
        if (plan.inPlaceRefused() != null && (before == null || before.getInPlaceRefused() == null)) {
            // Named by the refusal and the baseline it holds for, not by the prior changes: a reconcile that still
            // sees the status from before an in-place raise would otherwise report the same refusal a second time.
            event(client, webApp, name(webApp, "resize", plan.inPlaceRefused() + "@" + plan.decision().state().baseline()),
                    "Warning", "InPlaceResizeRefused",
                    "the kubelet did not resize in place (" + plan.inPlaceRefused() + "); quota changes now roll the pods");
        }
        boolean wasSuspected = status != null && Conditions.isTrue(status.getConditions(), Conditions.MEMORY_LEAK_SUSPECTED);
        QuotaState state = plan.decision().state();
        if (state.leakSuspected() && !wasSuspected) {
            event(client, webApp, name(webApp, "leak", state.leakEvidence() + "@" + prior), "Warning",
                    Conditions.MEMORY_LEAK_SUSPECTED, state.leakEvidence());
        }
    }

    /** A spec the operator cannot honour, once per generation. */
    void invalidSpec(KubernetesClient client, WebApp webApp, String problems) {
        event(client, webApp, webApp.getMetadata().getName() + ".invalid." + webApp.getMetadata().getGeneration(), "Warning",
                "InvalidSpec", "spec cannot be honoured: " + problems);
    }

    /** A spec whose objects the API server refused, once per generation. */
    void refused(KubernetesClient client, WebApp webApp, String message) {
        event(client, webApp, webApp.getMetadata().getName() + ".refused." + webApp.getMetadata().getGeneration(), "Warning",
                "RefusedByApiServer", message);
    }

    private static String name(WebApp webApp, String kind, String identity) {
        return webApp.getMetadata().getName() + "." + kind + "." + BundleHash.ofText(identity);
    }

    /** Creates the Event; true when it is new, false when an Event of that name was already there. */
    private boolean event(KubernetesClient client, WebApp webApp, String name, String type, String reason, String message) {
        String now = Instant.now(clock).toString();
        try {
            client.v1().events().inNamespace(webApp.getMetadata().getNamespace()).resource(new EventBuilder()
                            .withNewMetadata().withName(name).endMetadata()
                            .withType(type)
                            .withReason(reason)
                            .withMessage(message)
                            .withNewInvolvedObject()
                            .withApiVersion(webApp.getApiVersion()).withKind(webApp.getKind())
                            .withName(webApp.getMetadata().getName()).withNamespace(webApp.getMetadata().getNamespace())
                            .withUid(webApp.getMetadata().getUid())
                            .endInvolvedObject()
                            .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                            .withNewSource().withComponent("corral-operator").endSource()
                            .build())
                    .create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return false;
        }
    }
}
