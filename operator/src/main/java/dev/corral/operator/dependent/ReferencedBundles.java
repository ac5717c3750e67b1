package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.BundleSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ConfigMaps that WebApps name in {@code spec.bundle.configMapRef}, watched: a user's edit to one
 * changes the bundle hash of every WebApp that references it, so their pods roll, and one created
 * after its WebApp lets the pods start. ConfigMaps are mapped to their WebApps through an index of
 * the WebApp cache by the ConfigMap's namespace and name (no owner reference: the user owns them), and
 * read from this watch's cache rather than fetched at every reconcile.
 *
 * <p>The watch selects {@link #LABEL}, which the operator puts on each ConfigMap a WebApp names (a JSON
 * merge patch of that one label, so the user's own apply keeps working and a missing map is a 404, never
 * an empty one made by the operator): without it the operator would cache every ConfigMap of the watched
 * namespaces. A ConfigMap created after its WebApp carries no label yet, so a WebApp waiting for one is
 * looked at again every {@link #MISSING_POLL}.
 */
public final class ReferencedBundles {
    public static final String EVENT_SOURCE = "referenced-bundles";
    private static final String INDEX = "corral.dev/bundle-configmap";
    /** Put on a ConfigMap a WebApp names as its bundle; the watch selects it. */
    public static final String LABEL = "corral.dev/referenced-bundle";
    /** How often a WebApp whose ConfigMap does not exist looks again. */
    public static final java.time.Duration MISSING_POLL = java.time.Duration.ofSeconds(5);
    private static final String LABEL_PATCH = "{\"metadata\":{\"labels\":{\"" + LABEL + "\":\"true\"}}}";

    private ReferencedBundles() {
    }

    /** The watch; registers the index it maps through on the WebApp cache. */
    public static InformerEventSource<ConfigMap, WebApp> eventSource(EventSourceContext<WebApp> context) {
        context.getPrimaryCache().addIndexer(INDEX, webApp -> name(webApp)
                .map(name -> List.of(key(webApp.getMetadata().getNamespace(), name)))
                .orElse(List.of()));
        var config = InformerEventSourceConfiguration.from(ConfigMap.class, WebApp.class)
                .withName(EVENT_SOURCE)
                .withLabelSelector(LABEL + "=true")
                .withSecondaryToPrimaryMapper(configMap -> context.getPrimaryCache()
                        .byIndex(INDEX, key(configMap.getMetadata().getNamespace(), configMap.getMetadata().getName()))
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build();
        return new InformerEventSource<>(config, context);
    }

    /** The ConfigMap the WebApp's bundle names, as last seen; empty if it names none or none exists. */
    public static Optional<ConfigMap> of(WebApp webApp, Context<WebApp> context) {
        return name(webApp).flatMap(name -> ((InformerEventSource<ConfigMap, WebApp>) context.eventSourceRetriever()
                .getEventSourceFor(ConfigMap.class, EVENT_SOURCE))
                .get(new ResourceID(name, webApp.getMetadata().getNamespace())));
    }

    /**
     * Whether the ConfigMap the WebApp names, not in the watch's cache, exists: if it does it is labelled,
     * so the watch brings it (and a reconcile) next; if not, the WebApp must look again later.
     */
    public static boolean labelForWatch(WebApp webApp, KubernetesClient client) {
        String name = name(webApp).orElseThrow();
        try {
            client.configMaps().inNamespace(webApp.getMetadata().getNamespace()).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), LABEL_PATCH);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The name in {@code spec.bundle.configMapRef}, when the bundle comes from one. */
    public static Optional<String> name(WebApp webApp) {
        BundleSource bundle = webApp.getSpec() == null ? null : webApp.getSpec().getBundle();
        if (bundle == null || bundle.getConfigMapRef() == null || bundle.getConfigMapRef().getName() == null
                || bundle.getConfigMapRef().getName().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(bundle.getConfigMapRef().getName());
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
