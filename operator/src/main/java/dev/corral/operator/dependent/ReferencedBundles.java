package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.BundleSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ConfigMaps that WebApps name in {@code spec.bundle.configMapRef}, watched: a user's edit to one
 * changes the bundle hash of every WebApp that references it, so their pods roll. The watch selects by
 * {@link #LABEL}, which the operator puts on a ConfigMap once a WebApp names it, so that the namespaces'
 * other ConfigMaps are never listed nor cached. ConfigMaps are mapped to their WebApps through an index
 * of the WebApp cache by the ConfigMap's namespace and name (no owner reference: the user owns them).
 */
public final class ReferencedBundles {
    public static final String EVENT_SOURCE = "referenced-bundles";
    /** The label the watch selects; the operator sets it on a named ConfigMap by a merge patch of that label alone. */
    public static final String LABEL = "corral.dev/referenced-bundle";
    /**
     * How soon a WebApp whose ConfigMap does not exist looks again: a ConfigMap created without the label
     * brings no event, so its WebApp polls until it appears.
     */
    public static final Duration MISSING_POLL = Duration.ofSeconds(5);
    private static final String INDEX = "corral.dev/bundle-configmap";
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

    /** The ConfigMap the WebApp's bundle names, from the watch's cache; empty if it names none, or the watch does not hold it. */
    public static Optional<ConfigMap> watched(WebApp webApp, Context<WebApp> context) {
        return name(webApp).flatMap(name -> ((InformerEventSource<ConfigMap, WebApp>) context.eventSourceRetriever()
                .getEventSourceFor(ConfigMap.class, EVENT_SOURCE))
                .get(new ResourceID(name, webApp.getMetadata().getNamespace())));
    }

    /**
     * The named ConfigMap read from the API server, for one the watch does not hold yet (it carries no
     * label): a WebApp created beside an existing ConfigMap gets its bundle's hash at once, not a second
     * rollout once the watch brings it. Empty when it does not exist.
     */
    public static Optional<ConfigMap> read(WebApp webApp, KubernetesClient client) {
        return name(webApp).map(name -> client.configMaps().inNamespace(webApp.getMetadata().getNamespace()).withName(name).get());
    }

    /** Puts the watch's label on a named ConfigMap (a merge patch of that one label), so its edits reach the operator. */
    public static void watch(ConfigMap configMap, KubernetesClient client) {
        client.configMaps().inNamespace(configMap.getMetadata().getNamespace()).resource(configMap)
                .patch(PatchContext.of(PatchType.JSON_MERGE), LABEL_PATCH);
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
