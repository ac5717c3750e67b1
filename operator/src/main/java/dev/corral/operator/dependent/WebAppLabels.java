package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The app.kubernetes.io labels every object of a WebApp carries; the first two select its pods. */
public final class WebAppLabels {
    public static final String MANAGED_BY = "corral-operator";

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

    /** The selector as the string the scale subresource reports in status.selector. */
    public static String selectorString(WebApp webApp) {
        return selector(webApp).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
