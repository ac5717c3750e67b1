package dev.corral.helm;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/install.md's values reference names every key of values.yaml. */
class InstallDocsTest {
    @Test
    void everyValueIsDocumented() throws IOException {
        Map<String, Object> values = Serialization.unmarshal(Files.readString(RenderedChart.CHART.resolve("values.yaml")), Map.class);
        String docs = Files.readString(Path.of("../docs/install.md"));
        List<String> keys = new ArrayList<>();
        collect("", values, keys);
        assertThat(keys).hasSizeGreaterThan(20);
        assertThat(keys).allSatisfy(key -> assertThat(docs).as("docs/install.md documents " + key).contains("`" + key + "`"));
    }

    /** Leaf keys, except inside maps meant to hold user entries (labels, resources and the like). */
    @SuppressWarnings("unchecked")
    private static void collect(String prefix, Map<String, Object> map, List<String> keys) {
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            String key = prefix + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> nested && !nested.isEmpty() && !isFreeForm(entry.getKey())) {
                collect(key + ".", (Map<String, Object>) nested, keys);
            } else {
                keys.add(key);
            }
        }
    }

    private static boolean isFreeForm(String key) {
        return List.of("labels", "resources", "annotations").contains(key);
    }
}
