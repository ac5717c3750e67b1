package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.BundleSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
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
 */
public final class ReferencedBundles {
    public static final String EVENT_SOURCE = "referenced-bundles";
    private static final String INDEX = "corral.dev/bundle-configmap";

    private ReferencedBundles() {
    }

    /** The watch; registers the index it maps through on the WebApp cache. */
    public static InformerEventSource<ConfigMap, WebApp> eventSource(EventSourceContext<WebApp> context) {
        context.getPrimaryCache().addIndexer(INDEX, webApp -> name(webApp)
                .map(name -> List.of(key(webApp.getMetadata().getNamespace(), name)))
                .orElse(List.of()));
        var config = InformerEventSourceConfiguration.from(ConfigMap.class, WebApp.class)
                .withName(EVENT_SOURCE)
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
