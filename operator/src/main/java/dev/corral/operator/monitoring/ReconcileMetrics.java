package dev.corral.operator.monitoring;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Map;

/** JOSDK's reconciliation events as Prometheus counters, in a registry of the operator's own. */
public final class ReconcileMetrics implements Metrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter reconciliations;
    private final Counter failures;

    public ReconcileMetrics() {
        reconciliations = Counter.builder().name("corral_operator_reconciliations_total")
                .help("Reconciliations finished, by resource kind").labelNames("kind").register(registry);
        failures = Counter.builder().name("corral_operator_reconciliation_failures_total")
                .help("Reconciliations that failed, by resource kind and exception").labelNames("kind", "exception").register(registry);
        JvmMetrics.builder().register(registry);
    }

    @Override
    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
        reconciliations.labelValues(resource.getKind()).inc();
    }

    @Override
    public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
        failures.labelValues(resource.getKind(), exception.getClass().getSimpleName()).inc();
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
