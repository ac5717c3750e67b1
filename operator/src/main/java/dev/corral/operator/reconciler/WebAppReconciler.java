package dev.corral.operator.reconciler;

import dev.corral.operator.autoscaling.PodMetricsScraper;
import dev.corral.operator.autoscaling.PodResizer;
import dev.corral.operator.autoscaling.QuotaPlan;
import dev.corral.operator.autoscaling.ResizeSupport;
import dev.corral.operator.autoscaling.VerticalAutoscaler;
import dev.corral.operator.config.OperatorConfig;
import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.Resources;
import dev.corral.operator.customresource.status.WebAppStatus;
import dev.corral.operator.dependent.BundleConfigMapDependent;
import dev.corral.operator.dependent.DesiredState;
import dev.corral.operator.dependent.HorizontalScalingCondition;
import dev.corral.operator.dependent.InlineBundleCondition;
import dev.corral.operator.dependent.MultiplePodsCondition;
import dev.corral.operator.dependent.ReferencedBundles;
import dev.corral.operator.dependent.ServerAutoscalerDependent;
import dev.corral.operator.dependent.ServerDeployment;
import dev.corral.operator.dependent.ServerDeploymentDependent;
import dev.corral.operator.dependent.ServerDisruptionBudgetDependent;
import dev.corral.operator.dependent.ServerEgressPolicyDependent;
import dev.corral.operator.dependent.ServerServiceDependent;
import dev.corral.operator.dependent.WebAppLabels;
import dev.corral.operator.monitoring.ReconcileMetrics;
import dev.corral.operator.observer.Observation;
import dev.corral.operator.observer.WebAppObserver;
import dev.corral.operator.status.SpecValidation;
import dev.corral.operator.status.StatusDerivation;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reconciles a WebApp in one pipeline, each step once: validate the spec → observe the cluster into one
 * {@link Observation} → decide the quota (vertical autoscaling) → run the dependents from that decision
 * ({@link DesiredState}) and resize pods in place where that is the method → build the status → record
 * the Events. The dependents' workflow runs only when this invokes it, after the decision, so a quota
 * change reaches the Deployment in the same reconcile.
 */
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = "bundle", type = BundleConfigMapDependent.class, reconcilePrecondition = InlineBundleCondition.class),
        @Dependent(name = "deployment", type = ServerDeploymentDependent.class),
        @Dependent(name = "service", type = ServerServiceDependent.class),
        @Dependent(name = "egress", type = ServerEgressPolicyDependent.class),
        @Dependent(name = "pdb", type = ServerDisruptionBudgetDependent.class, reconcilePrecondition = MultiplePodsCondition.class),
        @Dependent(name = "hpa", type = ServerAutoscalerDependent.class, reconcilePrecondition = HorizontalScalingCondition.class)})
@ControllerConfiguration
public class WebAppReconciler implements Reconciler<WebApp> {
    static final String PODS = "pods";

    private final OperatorConfig config;
    private final VerticalAutoscaler autoscaler;
    private final WebAppObserver observer;
    private final WebAppEvents events;
    private final Duration sampleInterval;
    private final Clock clock;

    /** With settings from the environment, as JOSDK's tests and tools construct reconcilers. */
    public WebAppReconciler() {
        this(OperatorConfig.fromEnvironment(System.getenv()), new ReconcileMetrics(), Clock.systemUTC());
    }

    public WebAppReconciler(OperatorConfig config, ReconcileMetrics metrics, Clock clock) {
        this.config = config;
        this.sampleInterval = Duration.ofSeconds(config.sampleSeconds());
        this.autoscaler = new VerticalAutoscaler(new PodMetricsScraper(ServerDeployment.ADMIN_PORT_NAME, clock),
                new PodResizer(ServerDeployment.CONTAINER), new ResizeSupport(), sampleInterval);
        this.observer = new WebAppObserver(autoscaler, clock);
        this.events = new WebAppEvents(metrics, clock);
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, WebApp>> prepareEventSources(io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<WebApp> context) {
        // Pods of every WebApp, mapped back to their WebApp by the instance label: OOM kills trigger a reconcile.
        var pods = InformerEventSourceConfiguration.from(Pod.class, WebApp.class)
                .withName(PODS)
                .withLabelSelector("app.kubernetes.io/name=corral-server," + WebAppLabels.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
                        pod.getMetadata().getLabels().get("app.kubernetes.io/instance"), pod.getMetadata().getNamespace())))
                .build();
        return List.of(new InformerEventSource<>(pods, context), ReferencedBundles.eventSource(context));
    }

    /** The uids of the WebApps whose usage the vertical autoscaler holds (for tests of forgetting). */
    java.util.Set<String> trackedUsage() {
        return autoscaler.tracked();
    }

    @Override
    public UpdateControl<WebApp> reconcile(WebApp webApp, Context<WebApp> context) {
        KubernetesClient client = context.getClient();
        List<String> problems = SpecValidation.problems(webApp);
        if (!problems.isEmpty()) {
            // Nothing is built from a spec that cannot be honoured: the objects in place stay as they are, and
            // the next edit of the spec brings the next reconcile.
            String message = String.join("; ", problems);
            events.invalidSpec(client, webApp, message);
            return UpdateControl.patchStatus(freshWithStatus(webApp, StatusDerivation.invalid(webApp, message, clock.instant())));
        }

        Observation seen = observer.observe(webApp, context);
        Optional<QuotaPlan> plan = seen.usage().map(usage -> autoscaler.plan(webApp, seen.pods(), usage,
                seen.oomKills() - seen.newOomKills().size(), client));

        Resources specQuota = webApp.getSpec().getResources();
        new DesiredState(config, seen.bundleHash(), plan.map(p -> p.podResources(specQuota)).orElse(specQuota)).handTo(context);
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        seen.unwatchedBundle().ifPresent(configMap -> ReferencedBundles.watch(configMap, client));
        plan.ifPresent(p -> autoscaler.apply(p, webApp, seen.pods(), client));

        WebAppStatus status = StatusDerivation.of(webApp, seen, plan);
        events.observed(client, webApp, seen);
        plan.ifPresent(p -> events.planned(client, webApp, p));
        // The status carries the autoscaler's state (raises, OOM kills handled), so the next reconcile must read
        // what this one wrote: JOSDK's plain patchStatus leaves the informer to bring it, and a reconcile that
        // runs before it does repeats this one's decisions from the old state. This caches the patched WebApp.
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(webApp, freshWithStatus(webApp, status), context);
        UpdateControl<WebApp> update = UpdateControl.noUpdate();
        // Usage is sampled on a clock of its own: pods' events alone would not bring the next round. A missing
        // ConfigMap brings no event when it is created without the watch's label: look for it again soon.
        Optional<Duration> next = Stream.of(plan.map(p -> sampleInterval), seen.missingConfigMap().map(name -> ReferencedBundles.MISSING_POLL))
                .flatMap(Optional::stream).min(Duration::compareTo);
        return next.map(update::rescheduleAfter).orElse(update);
    }

    /**
     * A failed reconcile. A spec whose objects the API server refuses (an env item without a name, say)
     * is reported where users look, with the server's own words, and retried by JOSDK with backoff;
     * anything else is retried the same way.
     */
    @Override
    public ErrorStatusUpdateControl<WebApp> updateErrorStatus(WebApp webApp, Context<WebApp> context, Exception e) {
        KubernetesClientException refused = findRefusal(e);
        if (refused == null) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        String message = "the API server refused an object made from this spec: " + refusalMessage(refused);
        events.refused(context.getClient(), webApp, message);
        return ErrorStatusUpdateControl.patchStatus(freshWithStatus(webApp, StatusDerivation.refused(webApp, message, clock.instant())));
    }

    /** An API server's 422 (or 400) behind a workflow failure: an object it will not take as made. */
    static KubernetesClientException findRefusal(Throwable e) {
        return find(e, KubernetesClientException.class, k -> k.getCode() == 422 || k.getCode() == 400);
    }

    private static String refusalMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
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
}
