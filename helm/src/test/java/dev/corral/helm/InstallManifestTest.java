package dev.corral.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * helm/install/corral.yaml, for `kubectl apply -f` without Helm: the namespace, the CRDs and the chart
 * rendered with its defaults. It is generated from the chart; `-Dcorral.install.update=true` (or
 * `-Dcorral.crd.update=true`) rewrites it, and this test fails when the checked-in copy drifts.
 */
class InstallManifestTest {
    private static final Path MANIFEST = Path.of("install/corral.yaml");

    @Test
    void theCheckedInInstallManifestIsTheRenderedChart() throws IOException {
        String expected = generate();
        if (Boolean.getBoolean("corral.install.update") || Boolean.getBoolean("corral.crd.update")) {
            Files.createDirectories(MANIFEST.getParent());
            Files.writeString(MANIFEST, expected);
        }
        assertThat(MANIFEST).as("run with -Dcorral.install.update=true to regenerate").exists();
        assertThat(Files.readString(MANIFEST)).as(MANIFEST + " drifted from the chart (run with -Dcorral.install.update=true)")
                .isEqualTo(expected);
    }

    @Test
    void itHoldsTheNamespaceTheCrdAndTheOperatorInApplyOrder() throws IOException {
        List<HasMetadata> objects = Pattern.compile("(?m)^---\\s*$").splitAsStream(generate())
                .filter(d -> d.lines().anyMatch(l -> l.startsWith("kind:")))
                .map(d -> (HasMetadata) Serialization.unmarshal(d)).toList();
        assertThat(objects.get(0)).isInstanceOf(Namespace.class);
        assertThat(objects.get(0).getMetadata().getName()).isEqualTo(RenderedChart.NAMESPACE);
        assertThat(objects).filteredOn(CustomResourceDefinition.class::isInstance)
                .extracting(o -> o.getMetadata().getName()).containsExactly("webapps.corral.dev");
        assertThat(objects).filteredOn(Deployment.class::isInstance).extracting(o -> o.getMetadata().getName()).containsExactly("corral");
        // kubectl applies in file order: the CRD must exist before anything could use it.
        int crd = indexOf(objects, CustomResourceDefinition.class);
        assertThat(crd).isLessThan(indexOf(objects, Deployment.class));
    }

    private static int indexOf(List<HasMetadata> objects, Class<?> type) {
        for (int i = 0; i < objects.size(); i++) {
            if (type.isInstance(objects.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String generate() throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("# Corral operator, for `kubectl apply --server-side -f` without Helm. Generated from helm/corral with\n")
                .append("# its default values by InstallManifestTest; do not edit (run the tests with -Dcorral.install.update=true).\n")
                .append("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ").append(RenderedChart.NAMESPACE).append('\n');
        // From the generated CRDs themselves, so the result does not depend on ChartCrdDriftTest having run first.
        try (var crds = Files.list(Path.of("../crds"))) {
            for (Path crd : crds.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                out.append("---\n").append(Files.readString(crd).replaceFirst("^---\\s*\n", ""));
            }
        }
        out.append(RenderedChart.render().yaml().strip()).append('\n');
        return out.toString();
    }
}
