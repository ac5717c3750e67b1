package dev.corral.operator;

import dev.corral.operator.config.OperatorConfig;
import dev.corral.operator.monitoring.OperatorEndpoints;
import dev.corral.operator.monitoring.ReconcileMetrics;
import dev.corral.operator.reconciler.WebAppReconciler;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

import java.io.IOException;

/**
 * Runs the operator against the current kubeconfig (or the in-cluster service account), configured
 * from CORRAL_* environment variables (see {@link OperatorConfig}).
 */
public final class CorralOperator {
    private CorralOperator() {
    }

    public static void main(String[] args) throws IOException {
        OperatorConfig config;
        try {
            config = OperatorConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("corral-operator: " + e.getMessage());
            System.exit(64);
            return;
        }
        ReconcileMetrics metrics = new ReconcileMetrics();
        Operator operator = new Operator(o -> {
            o.withMetrics(metrics);
            if (!config.leaseNamespace().isEmpty()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration("corral-operator", config.leaseNamespace()));
            }
        });
        operator.register(new WebAppReconciler(config, metrics, java.time.Clock.systemUTC()), c -> {
            if (!config.watchNamespaces().isEmpty()) {
                c.settingNamespaces(config.watchNamespaces());
            }
        });
        OperatorEndpoints endpoints = new OperatorEndpoints(config.httpPort(), () -> operator.getRuntimeInfo().isStarted(),
                () -> operator.getRuntimeInfo().allEventSourcesAreHealthy(), metrics.registry());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.stop();
            endpoints.close();
        }, "corral-operator-shutdown"));
        operator.start();
    }
}
