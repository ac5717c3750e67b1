package dev.corral.operator.reconciler;

import dev.corral.operator.autoscaling.PodMetricsScraper;
import dev.corral.operator.autoscaling.PodResizer;
import dev.corral.operator.autoscaling.QuotaChange;
import dev.corral.operator.autoscaling.QuotaState;
import dev.corral.operator.autoscaling.ResizeSupport;
import dev.corral.operator.autoscaling.VerticalAutoscaler;
import dev.corral.operator.config.OperatorConfig;
import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.ApplyMethod;
import dev.corral.operator.dependent.HorizontalScalingCondition;
import dev.corral.operator.dependent.ServerAutoscalerDependent;
import dev.corral.operator.dependent.ServerDeployment;
import dev.corral.operator.monitoring.ReconcileMetrics;
import dev.corral.operator.status.Conditions;
import dev.corral.operator.customresource.status.OomKill;
import dev.corral.operator.customresource.status.WebAppStatus;
import dev.corral.operator.dependent.BundleConfigMapDependent;
import dev.corral.operator.dependent.BundleHash;
import dev.corral.operator.dependent.InlineBundleCondition;
import dev.corral.operator.dependent.MultiplePodsCondition;
import dev.corral.operator.dependent.ReferencedBundles;
import dev.corral.operator.dependent.ServerDeploymentDependent;
import dev.corral.operator.dependent.ServerDisruptionBudgetDependent;
import dev.corral.operator.dependent.ServerServiceDependent;
import dev.corral.operator.dependent.WebAppLabels;
import dev.corral.operator.status.InvalidSpecException;
import dev.corral.operator.status.OomKills;
import dev.corral.operator.status.StatusDerivation;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Reconciles a WebApp: the workflow's dependents make the ConfigMap, Deployment, Service and PDB from
 * the pure builders; this observes the Deployment and the pods, derives status, and reports each new
 * OOM kill as a Warning Event on the WebApp naming the pod.
 */
@Workflow(dependents = {
        @Dependent(name = "bundle", type = BundleConfigMapDependent.class, reconcilePrecondition = InlineBundleCondition.class),
        @Dependent(name = "deployment", type = ServerDeploymentDependent.class),
        @Dependent(name = "service", type = ServerServiceDependent.class),
        @Dependent(name = "pdb", type = ServerDisruptionBudgetDependent.class, reconcilePrecondition = MultiplePodsCondition.class),
        @Dependent(name = "hpa", type = ServerAutoscalerDependent.class, reconcilePrecondition = HorizontalScalingCondition.class)})
@ControllerConfiguration
public class WebAppReconciler implements Reconciler<WebApp> {
    static final String PODS = "pods";
    /** After a quota change: soon, so the Deployment (built before this decision) picks up a rollout change. */
    private static final Duration AFTER_CHANGE = Duration.ofSeconds(1);

    private final VerticalAutoscaler autoscaler;
    private final ReconcileMetrics metrics;
    private final Duration sampleInterval;
    private final Clock clock;

    /** With settings from the environment, as JOSDK's tests and tools construct reconcilers. */
    public WebAppReconciler() {
        this(OperatorConfig.fromEnvironment(System.getenv()), new ReconcileMetrics(), Clock.systemUTC());
    }

    public WebAppReconciler(OperatorConfig config, ReconcileMetrics metrics, Clock clock) {
        this.sampleInterval = Duration.ofSeconds(config.sampleSeconds());
        this.autoscaler = new VerticalAutoscaler(new PodMetricsScraper(ServerDeployment.ADMIN_PORT_NAME, clock),
                new PodResizer(ServerDeployment.CONTAINER), new ResizeSupport(), clock, sampleInterval);
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, WebApp>> prepareEventSources(io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<WebApp> context) {
        // Pods of every WebApp, mapped back to their WebApp by the instance label: OOM kills trigger a reconcile.
        var config = InformerEventSourceConfiguration.from(Pod.class, WebApp.class)
                .withName(PODS)
                .withLabelSelector("app.kubernetes.io/name=corral-server,app.kubernetes.io/managed-by=" + WebAppLabels.MANAGED_BY)
                .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
                        pod.getMetadata().getLabels().get("app.kubernetes.io/instance"), pod.getMetadata().getNamespace())))
                .build();
        return List.of(new InformerEventSource<>(config, context), ReferencedBundles.eventSource(context));
    }

    /** The uids of the WebApps whose usage the vertical autoscaler holds (for tests of forgetting). */
    java.util.Set<String> trackedUsage() {
        return autoscaler.tracked();
    }

    @Override
    public UpdateControl<WebApp> reconcile(WebApp webApp, Context<WebApp> context) {
        Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
        List<Pod> pods = List.copyOf(context.getSecondaryResources(Pod.class));
        List<String> counted = webApp.getStatus() == null || webApp.getStatus().getCountedOOMKills() == null
                ? List.of() : webApp.getStatus().getCountedOOMKills();
        List<OomKill> newKills = OomKills.uncounted(pods, counted);
        for (OomKill kill : newKills) {
            warn(webApp, context, kill);
        }
        Instant now = clock.instant();
        WebAppStatus status = StatusDerivation.derive(webApp, deployment, newKills, now);
        ReferencedBundles.name(webApp).filter(name -> ReferencedBundles.of(webApp, context).isEmpty())
                .ifPresent(name -> StatusDerivation.bundleNotFound(status, name, webApp.getMetadata().getNamespace(), now));
        autoscaler.forgetDeleted(id -> context.getPrimaryCache().get(id).map(w -> w.getMetadata().getUid()));
        if (!VerticalAutoscaler.enabled(webApp)) {
            autoscaler.forget(webApp);
            status.setConditions(Conditions.remove(status.getConditions(), Conditions.MEMORY_LEAK_SUSPECTED));
            return UpdateControl.patchStatus(freshWithStatus(webApp, status));
        }
        VerticalAutoscaler.Step step = autoscaler.step(webApp, pods, status.getOomKills(), context.getClient());
        VerticalAutoscaler.record(status, webApp.getStatus(), step, status.getObservedGeneration(), now);
        report(webApp, context, step);
        return UpdateControl.patchStatus(freshWithStatus(webApp, status))
                .rescheduleAfter(step.decision().changes().isEmpty() ? sampleInterval : AFTER_CHANGE);
    }

    /**
     * Each quota change as a Normal Event and a metric; a newly suspected leak as a Warning Event. Names
     * derive from the decision and the state it started from, so a reconcile on a stale cache repeating
     * the same decision cannot report it twice.
     */
    private void report(WebApp webApp, Context<WebApp> context, VerticalAutoscaler.Step step) {
        var before = webApp.getStatus() == null ? null : webApp.getStatus().getAutoscaling();
        String prior = before == null ? "start" : before.getLastMemoryChange() + "/" + before.getLastCpuChange() + "/" + before.getOomKillsHandled();
        String name = webApp.getMetadata().getName();
        for (QuotaChange change : step.decision().changes()) {
            boolean first = event(webApp, context, name + ".quota." + BundleHash.ofText(change.message() + "@" + prior), "Normal",
                    change.eventReason(), change.message() + " (applied " + (step.method() == ApplyMethod.InPlace ? "in place" : "by rollout") + ")");
            if (first) {
                metrics.quotaChanged(webApp.getMetadata().getNamespace(), name, change.resource(), change.raised());
            }
        }
        if (step.inPlaceRefused() != null && (before == null || before.getInPlaceRefused() == null)) {
            // Named by the refusal and the baseline it holds for, not by the prior changes: a reconcile that still
            // sees the status from before an in-place raise would otherwise report the same refusal a second time.
            event(webApp, context, name + ".resize." + BundleHash.ofText(step.inPlaceRefused() + "@" + step.decision().state().baseline()),
                    "Warning", "InPlaceResizeRefused",
                    "the kubelet did not resize in place (" + step.inPlaceRefused() + "); quota changes now roll the pods");
        }
        boolean wasSuspected = webApp.getStatus() != null && Conditions.isTrue(webApp.getStatus().getConditions(), Conditions.MEMORY_LEAK_SUSPECTED);
        QuotaState state = step.decision().state();
        if (state.leakSuspected() && !wasSuspected) {
            event(webApp, context, name + ".leak." + BundleHash.ofText(state.leakEvidence() + "@" + prior), "Warning",
                    Conditions.MEMORY_LEAK_SUSPECTED, state.leakEvidence());
        }
    }

    /**
     * A failed reconcile. An invalid spec is reported (Ready=False/InvalidSpec and an Event) and not
     * retried: the next edit of the spec brings a new reconcile. Anything else is retried by JOSDK.
     */
    @Override
    public ErrorStatusUpdateControl<WebApp> updateErrorStatus(WebApp webApp, Context<WebApp> context, Exception e) {
        InvalidSpecException invalid = findInvalidSpec(e);
        if (invalid == null) {
            KubernetesClientException refused = findRefusal(e);
            if (refused == null) {
                return ErrorStatusUpdateControl.defaultErrorProcessing();
            }
            // A spec the CRD accepts but whose objects the API server refuses (an env item without a name,
            // say): say so where users look, with the server's own words; JOSDK retries with backoff.
            String message = "the API server refused an object made from this spec: " + refusalMessage(refused);
            String name = webApp.getMetadata().getName() + ".refused." + webApp.getMetadata().getGeneration();
            event(webApp, context, name, "Warning", "RefusedByApiServer", message);
            return ErrorStatusUpdateControl.patchStatus(freshWithStatus(webApp,
                    StatusDerivation.refused(webApp, message, Instant.now())));
        }
        String name = webApp.getMetadata().getName() + ".invalid." + webApp.getMetadata().getGeneration();
        event(webApp, context, name, "Warning", "InvalidSpec", "spec cannot be honoured: " + invalid.getMessage());
        return ErrorStatusUpdateControl.patchStatus(freshWithStatus(webApp,
                StatusDerivation.invalid(webApp, invalid.getMessage(), Instant.now()))).withNoRetry();
    }

    /** An API server's 422 (or 400) behind a workflow failure: an object it will not take as made. */
    static KubernetesClientException findRefusal(Throwable e) {
        return find(e, KubernetesClientException.class, k -> k.getCode() == 422 || k.getCode() == 400);
    }

    private static String refusalMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }

    /** The InvalidSpecException behind a workflow failure, which may aggregate several dependents' errors. */
    static InvalidSpecException findInvalidSpec(Throwable e) {
        return find(e, InvalidSpecException.class, invalid -> true);
    }

    /** The first {@code type} that {@code matches}, searching aggregated, suppressed and cause exceptions. */
    private static <T extends Throwable> T find(Throwable e, Class<T> type, java.util.function.Predicate<T> matches) {
        if (e == null) {
            return null;
        }
        if (type.isInstance(e) && matches.test(type.cast(e))) {
            return type.cast(e);
        }
        if (e instanceof AggregatedOperatorException aggregated) {
            for (Exception inner : aggregated.getAggregatedExceptions().values()) {
                T found = find(inner, type, matches);
                if (found != null) {
                    return found;
                }
            }
        }
        for (Throwable suppressed : e.getSuppressed()) {
            T found = find(suppressed, type, matches);
            if (found != null) {
                return found;
            }
        }
        return e.getCause() == e ? null : find(e.getCause(), type, matches);
    }

    /** Status is patched from a fresh object holding only name, namespace and status. */
    private static WebApp freshWithStatus(WebApp webApp, WebAppStatus status) {
        WebApp fresh = new WebApp();
        fresh.setMetadata(new ObjectMetaBuilder().withName(webApp.getMetadata().getName())
                .withNamespace(webApp.getMetadata().getNamespace()).build());
        fresh.setStatus(status);
        return fresh;
    }

    /**
     * One Warning Event per kill. Its name comes from the kill itself, so a reconcile that runs on a
     * cached WebApp not yet showing the new watermark (or after an operator restart) cannot report it twice.
     */
    private static void warn(WebApp webApp, Context<WebApp> context, OomKill kill) {
        String name = webApp.getMetadata().getName() + ".oom." + BundleHash.ofText(kill.key());
        event(webApp, context, name, "Warning", "OOMKilled", "container " + kill.getContainer() + " of pod " + kill.getPod()
                + " was OOM-killed by the kernel at " + kill.getTime() + "; other pods are unaffected");
    }

    /** An Event on the WebApp; its name makes it idempotent (a repeat create is a 409, ignored). True when it is new. */
    private static boolean event(WebApp webApp, Context<WebApp> context, String name, String type, String reason, String message) {
        String now = Instant.now().toString();
        try {
            context.getClient().v1().events().inNamespace(webApp.getMetadata().getNamespace()).resource(new EventBuilder()
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
            return false; // Already reported.
        }
    }
}
