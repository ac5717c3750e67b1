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
    private final Counter quotaChanges;

    public ReconcileMetrics() {
        reconciliations = Counter.builder().name("corral_operator_reconciliations_total")
                .help("Reconciliations finished, by resource kind").labelNames("kind").register(registry);
        failures = Counter.builder().name("corral_operator_reconciliation_failures_total")
                .help("Reconciliations that failed, by resource kind and exception").labelNames("kind", "exception").register(registry);
        quotaChanges = Counter.builder().name("corral_operator_quota_changes_total")
                .help("Pod quota changes by the vertical autoscaler, by WebApp, resource (cpu, memory) and direction (raised, lowered)")
                .labelNames("namespace", "webapp", "resource", "direction").register(registry);
        JvmMetrics.builder().register(registry);
    }

    /** Counts one quota change of a WebApp. */
    public void quotaChanged(String namespace, String webApp, String resource, boolean raised) {
        quotaChanges.labelValues(namespace, webApp, resource, raised ? "raised" : "lowered").inc();
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
