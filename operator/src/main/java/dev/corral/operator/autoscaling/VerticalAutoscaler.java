package dev.corral.operator.autoscaling;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.ApplyMethod;
import dev.corral.operator.customresource.spec.Autoscaling;
import dev.corral.operator.customresource.spec.Resources;
import dev.corral.operator.customresource.spec.VerticalScaling;
import dev.corral.operator.customresource.status.VerticalScalingStatus;
import dev.corral.operator.customresource.status.WebAppStatus;
import dev.corral.operator.dependent.BundleHash;
import dev.corral.operator.dependent.ServerAutoscaler;
import dev.corral.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Vertical autoscaling of a WebApp, in the reconcile's three steps: {@link #observe} its pods' usage
 * (a scrape round when one is due), {@link #plan} the quota from that and the state status carries
 * (the decision itself is {@link QuotaPolicy}'s), and {@link #apply} it in place where that is the method.
 */
public final class VerticalAutoscaler {
    private final PodMetricsScraper scraper;
    private final PodResizer resizer;
    private final ResizeSupport resizeSupport;
    private final Duration sampleInterval;
    /**
     * Usage per WebApp, with the uid it was gathered for: a WebApp deleted and created again under its name
     * starts afresh. An instance field, one per reconciler; {@link #forgetDeleted} drops the deleted ones.
     */
    private final Map<ResourceID, Held> histories = new ConcurrentHashMap<>();

    /** One WebApp's usage, and which incarnation of the WebApp (its uid) it belongs to. */
    private record Held(String uid, UsageHistory history) {
    }

    public VerticalAutoscaler(PodMetricsScraper scraper, PodResizer resizer, ResizeSupport resizeSupport, Duration sampleInterval) {
        this.scraper = scraper;
        this.sampleInterval = sampleInterval;
        this.resizer = resizer;
        this.resizeSupport = resizeSupport;
    }

    /** True when the WebApp asks for vertical autoscaling. */
    public static boolean enabled(WebApp webApp) {
        Autoscaling autoscaling = webApp.getSpec().getAutoscaling();
        return autoscaling != null && autoscaling.getVertical() != null && !Boolean.FALSE.equals(autoscaling.getVertical().getEnabled());
    }

    /**
     * What the pods' usage shows: a new scrape round when the last is a sample interval old, else the
     * rounds so far (pod events bring reconciles between rounds, and those must not scrape again).
     */
    public UsageObservation observe(WebApp webApp, List<Pod> pods, int oomKills, Instant now) {
        VerticalPolicy policy = VerticalPolicy.from(webApp.getSpec().getAutoscaling().getVertical());
        String uid = webApp.getMetadata().getUid();
        UsageHistory history = histories.compute(ResourceID.fromResource(webApp),
                (id, held) -> held != null && held.uid().equals(uid) ? held : new Held(uid, new UsageHistory())).history();
        boolean horizontal = ServerAutoscaler.wanted(webApp);
        return history.due(now, sampleInterval)
                ? history.record(now, scraper.scrape(pods), policy.throttlingThreshold(), policy.lowerAfter(), oomKills, horizontal)
                : history.observe(now, policy.lowerAfter(), oomKills, horizontal);
    }

    /**
     * The quota for the usage seen, and how it reaches the pods.
     *
     * @param oomKillsBefore the kills counted before this reconcile: where the autoscaler starts afresh (no state
     *                       in status yet, or a new spec quota or policy) those count as handled, and only kills
     *                       first seen now are acted on. A reconcile that reads a WebApp whose first status write
     *                       has not reached the cache yet must still raise for a kill it sees (AutoscalingIT saw
     *                       one taken as handled at the start, and memory never raised).
     */
    public QuotaPlan plan(WebApp webApp, List<Pod> pods, UsageObservation usage, int oomKillsBefore, KubernetesClient client) {
        VerticalScaling spec = webApp.getSpec().getAutoscaling().getVertical();
        VerticalPolicy policy = VerticalPolicy.from(spec);
        Resources resources = webApp.getSpec().getResources();
        Quota specQuota = Quota.of(resources.getCpu(), resources.getMemory());
        String baseline = baseline(resources, spec);
        QuotaDecision decision = QuotaPolicy.decide(policy, specQuota, baseline, stateFrom(webApp.getStatus()), usage, oomKillsBefore);
        ApplyMethod method = resizeSupport.resolve(policy.apply(), client);
        // A resize the kubelet refused or deferred: roll the pods instead, and keep doing so (switching back
        // would roll them to the spec's quota) until the spec or the policy changes.
        String refused = null;
        if (method == ApplyMethod.InPlace) {
            refused = refusalBefore(webApp.getStatus(), baseline).or(() -> ResizeRefusals.of(pods)).orElse(null);
            if (refused != null) {
                method = ApplyMethod.Rollout;
            }
        }
        return new QuotaPlan(decision, method, refused);
    }

    /** Resizes the running pods to the plan's quota when it applies in place; returns the pods asked. */
    public List<String> apply(QuotaPlan plan, WebApp webApp, List<Pod> pods, KubernetesClient client) {
        if (plan.method() != ApplyMethod.InPlace) {
            return List.of();
        }
        return resizer.resize(client, pods, plan.decision().state().effective(),
                !Boolean.FALSE.equals(webApp.getSpec().getResources().getGuaranteed()));
    }

    /** A refusal recorded for the same spec quota and policy, which keeps the fallback to rollouts. */
    private static Optional<String> refusalBefore(WebAppStatus status, String baseline) {
        if (status == null || status.getAutoscaling() == null || status.getAutoscaling().getInPlaceRefused() == null
                || !baseline.equals(status.getAutoscaling().getBaseline())) {
            return Optional.empty();
        }
        return Optional.of(status.getAutoscaling().getInPlaceRefused());
    }

    /** Forgets a WebApp's usage: its autoscaling was turned off. */
    public void forget(WebApp webApp) {
        histories.remove(ResourceID.fromResource(webApp));
    }

    /**
     * Forgets the usage of every WebApp that {@code currentUid} (the informer cache) no longer holds, or holds
     * under another uid: the deleted ones. Deletion brings no reconcile without a finalizer, and a finalizer
     * would hold every WebApp's deletion hostage to the operator running, so the reconciler calls this
     * instead; it looks up only the WebApps whose usage is held.
     */
    public void forgetDeleted(Function<ResourceID, Optional<String>> currentUid) {
        histories.entrySet().removeIf(e -> !currentUid.apply(e.getKey()).filter(e.getValue().uid()::equals).isPresent());
    }

    /** The uids of the WebApps whose usage is held. */
    public Set<String> tracked() {
        return histories.values().stream().map(Held::uid).collect(Collectors.toUnmodifiableSet());
    }

    /** The state the last step left in status, or null when there is none yet. */
    static QuotaState stateFrom(WebAppStatus status) {
        if (status == null || status.getAutoscaling() == null || status.getEffectiveResources() == null
                || status.getAutoscaling().getBaseline() == null) {
            return null;
        }
        VerticalScalingStatus memory = status.getAutoscaling();
        String leak = status.getConditions() == null ? null : status.getConditions().stream()
                .filter(c -> c.getType().equals(Conditions.MEMORY_LEAK_SUSPECTED) && "True".equals(c.getStatus()))
                .map(Condition::getMessage).findFirst().orElse(null);
        return new QuotaState(Quota.of(status.getEffectiveResources().getCpu(), status.getEffectiveResources().getMemory()),
                memory.getBaseline(), orZero(memory.getMemoryRaises()), orZero(memory.getCpuRaises()),
                time(memory.getLastMemoryChange()), time(memory.getLastCpuChange()), orZero(memory.getOomKillsHandled()), leak);
    }

    /** What the effective quota started from: the spec's quota and the policy. A change of either resets the autoscaler. */
    static String baseline(Resources resources, VerticalScaling spec) {
        return resources.getCpu() + "," + resources.getMemory() + "," + BundleHash.ofText(Serialization.asJson(spec));
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static Instant time(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
