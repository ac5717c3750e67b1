package dev.corral.operator.reconciler;

import dev.corral.operator.testing.ApplyAsMergeDispatcher;

import dev.corral.operator.config.OperatorConfig;
import dev.corral.operator.monitoring.ReconcileMetrics;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.HashMap;

/**
 * The real Operator, on JOSDK's defaults with leader election on, against fabric8's mock API server in
 * CRUD mode on 127.0.0.1, with the CRD installed. The operator has its own client, told apart by its
 * User-Agent, so that its calls alone go to {@link ApiCallLog} when the harness closes.
 */
final class OperatorHarness implements AutoCloseable {
    private final ApplyAsMergeDispatcher dispatcher = new ApplyAsMergeDispatcher();
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final KubernetesClient operatorClient;
    private final Operator operator;
    final ReconcileMetrics metrics = new ReconcileMetrics();

    OperatorHarness(OperatorConfig config) throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        try (FileInputStream crd = new FileInputStream("../crds/webapps.corral.dev-v1.yml")) {
            client.resource(Serialization.unmarshal(crd, CustomResourceDefinition.class)).create();
        }
        operatorClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withUserAgent(ApplyAsMergeDispatcher.OPERATOR_AGENT).build()).build();
        operator = new Operator(o -> o.withKubernetesClient(operatorClient).withCloseClientOnStop(false)
                // Leader election on, as the chart runs it, so its Lease calls are checked too; a stop must not exit the JVM.
                .withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration("corral-operator")
                        .withLeaseNamespace("corral-system").withExitOnStopLeading(false).build()));
        operator.register(new WebAppReconciler(config, metrics, Clock.systemUTC()));
        operator.start();
    }

    OperatorHarness() throws IOException {
        this(OperatorConfig.DEFAULTS);
    }

    /** The test's own client (its calls are not the operator's). */
    KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        operator.stop();
        ApiCallLog.add(dispatcher.operatorCalls());
        operatorClient.close();
        client.close();
        server.destroy();
    }
}
