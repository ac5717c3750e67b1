package dev.corral.operator.monitoring;

import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorEndpointsTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(OperatorEndpoints endpoints, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesFollowTheOperatorsStateAndMetricsCountReconciliations() throws Exception {
        AtomicBoolean started = new AtomicBoolean(false);
        AtomicBoolean healthy = new AtomicBoolean(true);
        ReconcileMetrics metrics = new ReconcileMetrics();
        try (OperatorEndpoints endpoints = new OperatorEndpoints(0, started::get, healthy::get, metrics.registry())) {
            assertThat(get(endpoints, "/readyz").statusCode()).isEqualTo(503);
            started.set(true);
            assertThat(get(endpoints, "/readyz").statusCode()).isEqualTo(200);
            assertThat(get(endpoints, "/healthz").statusCode()).isEqualTo(200);
            healthy.set(false);
            assertThat(get(endpoints, "/healthz").statusCode()).isEqualTo(503);

            ConfigMap resource = new ConfigMap();
            metrics.finishedReconciliation(resource, Map.of());
            metrics.failedReconciliation(resource, new IllegalStateException("x"), Map.of());
            String scraped = get(endpoints, "/metrics").body();
            assertThat(scraped).contains("corral_operator_reconciliations_total{kind=\"ConfigMap\"} 1.0")
                    .contains("corral_operator_reconciliation_failures_total{exception=\"IllegalStateException\",kind=\"ConfigMap\"} 1.0")
                    .contains("jvm_memory_used_bytes");
        }
    }
}
