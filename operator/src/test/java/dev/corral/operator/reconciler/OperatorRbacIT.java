package dev.corral.operator.reconciler;

import dev.corral.operator.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chart's RBAC as the real API server enforces it on the operator's ServiceAccount token: what the
 * Roles do not grant is refused with 403. (That everything the operator does is granted is checked by
 * the reconciler ITs, which run the whole reconcile under the same token; see ApiCallLog.)
 */
class OperatorRbacIT {
    @RegisterExtension
    static final RealApiServer API = new RealApiServer();

    @Test
    void callsOutsideTheChartsRolesAreRefusedByTheApiServer() throws Exception {
        try (OperatorHarness harness = new OperatorHarness(API);
             KubernetesClient operator = API.asServiceAccount(OperatorHarness.OPERATOR_NAMESPACE, OperatorHarness.OPERATOR_ACCOUNT, "rbac-it")) {
            String ns = harness.namespace();
            harness.client().apps().deployments().inNamespace(ns).resource(new DeploymentBuilder().withNewMetadata().withName("someone-elses")
                    .endMetadata().withNewSpec().withNewSelector().withMatchLabels(Map.of("a", "b")).endSelector()
                    .withNewTemplate().withNewMetadata().withLabels(Map.of("a", "b")).endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("x").endContainer().endSpec().endTemplate()
                    .endSpec().build()).create();

            assertRefused(() -> operator.secrets().inNamespace(ns).list(), "secrets");
            assertRefused(() -> operator.apps().deployments().inNamespace(ns).withName("someone-elses").delete(), "deployments");
            assertRefused(() -> operator.apps().deployments().inNamespace(ns).withName("someone-elses").get(), "deployments");
            assertRefused(() -> operator.rbac().roles().inNamespace(ns).list(), "roles");
            assertRefused(() -> operator.leases().inNamespace(ns).list(), "leases");
            // What it is granted works with the same token.
            assertThat(operator.apps().deployments().inNamespace(ns).list().getItems()).extracting(d -> d.getMetadata().getName())
                    .contains("someone-elses");
        }
    }

    private static void assertRefused(Runnable call, String resource) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getMessage()).contains("system:serviceaccount:corral-system:corral-operator").contains(resource);
        });
    }
}
