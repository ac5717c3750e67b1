package dev.corral.helm;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart rendered by embedded Helm (`helm template`) and parsed by fabric8, looked up by kind and name. */
final class RenderedChart {
    static final Path CHART = Path.of("corral");
    static final String RELEASE = "corral";
    static final String NAMESPACE = "corral-system";
    /** Helm's offline default is 1.20; render for a current cluster (the chart needs 1.27+). */
    static final String KUBE_VERSION = "1.33.0";
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private final String yaml;
    private final List<HasMetadata> objects;

    private RenderedChart(String yaml) {
        this.yaml = yaml;
        this.objects = DOCUMENT_SEPARATOR.splitAsStream(yaml)
                .filter(document -> document.lines().anyMatch(line -> line.startsWith("kind:")))
                .map(document -> (HasMetadata) Serialization.unmarshal(document))
                .toList();
    }

    /** Renders with the chart's defaults. */
    static RenderedChart render() {
        return render("");
    }

    /** Renders with a values file of this YAML (as `helm template -f values.yaml`). */
    static RenderedChart render(String valuesYaml) {
        try {
            Path values = Files.createTempFile("corral-values", ".yaml");
            try {
                Files.writeString(values, valuesYaml);
                return new RenderedChart(new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                        .withKubeVersion(KUBE_VERSION).withValuesFile(values).call());
            } finally {
                Files.deleteIfExists(values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String yaml() {
        return yaml;
    }

    List<HasMetadata> objects() {
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String namespace, String name) {
        return all(type).stream()
                .filter(o -> o.getMetadata().getName().equals(name) && Objects.equals(o.getMetadata().getNamespace(), namespace))
                .findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        Optional<T> found = find(type, namespace, name);
        assertThat(found).as(type.getSimpleName() + " " + namespace + "/" + name).isPresent();
        return found.orElseThrow();
    }

    /** Objects of a kind fabric8 has no class for (ServiceMonitor, PodMonitor), by kind and name. */
    Optional<HasMetadata> findKind(String kind, String name) {
        return objects.stream().filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name)).findFirst();
    }
}
