package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ConfigMap holding an inline bundle's files; the operator owns it. ConfigMap keys cannot hold
 * '/', so files get index keys ({@code f0-app.py}) and the pod's volume maps each back to its path.
 */
public final class BundleConfigMap {
    private BundleConfigMap() {
    }

    /** One bundle file: its ConfigMap key, its path in the bundle, its content. */
    record File(String key, String path, String content) {
    }

    public static String name(WebApp webApp) {
        return webApp.getMetadata().getName() + "-bundle";
    }

    static List<File> files(WebApp webApp) {
        List<File> files = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, String> entry : new TreeMap<>(webApp.getSpec().getBundle().getInline()).entrySet()) {
            String path = entry.getKey();
            String base = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^-._a-zA-Z0-9]", "_");
            files.add(new File("f" + index++ + "-" + base, path, entry.getValue()));
        }
        return files;
    }

    /** The volume items that put each key back at its path. */
    static List<KeyToPath> items(WebApp webApp) {
        return files(webApp).stream().map(f -> new KeyToPath(f.key(), null, f.path())).toList();
    }

    public static ConfigMap desired(WebApp webApp) {
        Map<String, String> data = new LinkedHashMap<>();
        files(webApp).forEach(f -> data.put(f.key(), f.content()));
        return new ConfigMapBuilder()
                .withMetadata(WebAppLabels.objectMeta(webApp, name(webApp)))
                .withData(data)
                .build();
    }
}
