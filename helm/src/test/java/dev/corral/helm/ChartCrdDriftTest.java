package dev.corral.helm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's crds/ is a copy of the generated CRDs in the repository's crds/ (themselves checked
 * against the model by the operator's CrdDriftTest). `-Dcorral.crd.update=true` refreshes the copy.
 */
class ChartCrdDriftTest {
    private static final Path GENERATED = Path.of("../crds");
    private static final Path CHART_CRDS = RenderedChart.CHART.resolve("crds");

    @Test
    void theChartCarriesExactlyTheGeneratedCrds() throws IOException {
        List<Path> generated = yamlFiles(GENERATED);
        assertThat(generated).isNotEmpty();
        if (Boolean.getBoolean("corral.crd.update")) {
            for (Path stale : yamlFiles(CHART_CRDS)) {
                Files.delete(stale);
            }
            for (Path crd : generated) {
                Files.copy(crd, CHART_CRDS.resolve(crd.getFileName()));
            }
        }
        assertThat(yamlFiles(CHART_CRDS).stream().map(p -> p.getFileName().toString()))
                .as("CRD files in helm/corral/crds (run with -Dcorral.crd.update=true to refresh)")
                .containsExactlyInAnyOrderElementsOf(generated.stream().map(p -> p.getFileName().toString()).toList());
        for (Path crd : generated) {
            assertThat(Files.readString(CHART_CRDS.resolve(crd.getFileName())))
                    .as(crd.getFileName() + " in the chart differs from crds/ (run with -Dcorral.crd.update=true)")
                    .isEqualTo(Files.readString(crd));
        }
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
