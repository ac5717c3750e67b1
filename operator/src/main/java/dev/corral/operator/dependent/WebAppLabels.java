package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The app.kubernetes.io labels every object of a WebApp carries; the first two select its pods. */
public final class WebAppLabels {
    public static final String MANAGED_BY = "corral-operator";
    /**
     * What every dependent's informer selects: the operator caches only the objects it made, not every
     * Deployment, Service or ConfigMap of the namespaces it watches.
     */
    public static final String MANAGED_SELECTOR = "app.kubernetes.io/managed-by=" + MANAGED_BY;

    private WebAppLabels() {
    }

    /** The labels that select a WebApp's pods; stable for the WebApp's life. */
    public static Map<String, String> selector(WebApp webApp) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "corral-server");
        labels.put("app.kubernetes.io/instance", webApp.getMetadata().getName());
        return labels;
    }

    /** Selector labels plus the descriptive ones. */
    public static Map<String, String> all(WebApp webApp) {
        Map<String, String> labels = selector(webApp);
        labels.put("app.kubernetes.io/managed-by", MANAGED_BY);
        labels.put("app.kubernetes.io/part-of", "corral");
        return labels;
    }

    /** Metadata of an object the WebApp owns: its name, the WebApp's namespace, and all the labels. */
    public static ObjectMeta objectMeta(WebApp webApp, String name) {
        return new ObjectMetaBuilder().withName(name).withNamespace(webApp.getMetadata().getNamespace()).withLabels(all(webApp)).build();
    }

    /** The selector as the string the scale subresource reports in status.selector. */
    public static String selectorString(WebApp webApp) {
        return selector(webApp).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
