package dev.corral.operator.observer;

import dev.corral.operator.autoscaling.UsageObservation;
import dev.corral.operator.autoscaling.VerticalAutoscaler;
import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.status.OomKill;
import dev.corral.operator.customresource.status.WebAppStatus;
import dev.corral.operator.dependent.BundleHash;
import dev.corral.operator.dependent.ReferencedBundles;
import dev.corral.operator.status.OomKills;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The observe step of a reconcile: reads the informers' caches (Deployment, pods, the referenced
 * ConfigMap, which it reads from the API server while the watch does not hold it yet) and, when
 * vertical autoscaling is on and a round is due, scrapes the pods' usage. It writes nothing to the cluster.
 */
public final class WebAppObserver {
    private final VerticalAutoscaler autoscaler;
    private final Clock clock;

    public WebAppObserver(VerticalAutoscaler autoscaler, Clock clock) {
        this.autoscaler = autoscaler;
        this.clock = clock;
    }

    public Observation observe(WebApp webApp, Context<WebApp> context) {
        Instant now = clock.instant();
        Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
        List<Pod> pods = List.copyOf(context.getSecondaryResources(Pod.class));
        WebAppStatus previous = webApp.getStatus();
        List<String> counted = previous == null || previous.getCountedOOMKills() == null ? List.of() : previous.getCountedOOMKills();
        List<OomKill> newKills = OomKills.uncounted(pods, counted);
        int kills = (previous == null || previous.getOomKills() == null ? 0 : previous.getOomKills()) + newKills.size();

        Optional<ConfigMap> watched = ReferencedBundles.watched(webApp, context);
        Optional<ConfigMap> unwatched = ReferencedBundles.name(webApp).isPresent() && watched.isEmpty()
                ? ReferencedBundles.read(webApp, context.getClient()) : Optional.empty();
        Optional<ConfigMap> referenced = watched.or(() -> unwatched);
        Optional<String> missing = ReferencedBundles.name(webApp).filter(name -> referenced.isEmpty());
        String hash = BundleHash.of(webApp.getSpec().getBundle(), referenced, Optional.ofNullable(deployment));

        // Deletion brings no reconcile without a finalizer: every reconcile lets go of the usage of WebApps gone.
        autoscaler.forgetDeleted(id -> context.getPrimaryCache().get(id).map(w -> w.getMetadata().getUid()));
        Optional<UsageObservation> usage;
        if (VerticalAutoscaler.enabled(webApp)) {
            usage = Optional.of(autoscaler.observe(webApp, pods, kills, now));
        } else {
            autoscaler.forget(webApp);
            usage = Optional.empty();
        }
        return new Observation(now, deployment, pods, hash, missing, unwatched, newKills, kills, usage);
    }
}
