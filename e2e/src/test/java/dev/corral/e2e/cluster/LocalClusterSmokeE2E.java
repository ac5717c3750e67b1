package dev.corral.e2e.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The cluster itself, before anything of Corral's runs on it: the node is Ready on the pinned
 * release, a plain pod of an image built here runs to completion on the real kubelet (sandbox, CNI
 * address, service-account token, a Service routed by kube-proxy), and the API server's own RBAC
 * refuses a ServiceAccount what no Role grants it. Runs on `./dev cluster up` (KUBECONFIG set).
 */
class LocalClusterSmokeE2E {
    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void connect() {
        ClusterFixture.requireCluster();
        client = new KubernetesClientBuilder().build();
        namespace = "corral-smoke-" + UUID.randomUUID().toString().substring(0, 6);
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName(namespace).endMetadata().build()).create();
    }

    @AfterAll
    static void cleanUp() {
        if (client != null) {
            client.namespaces().withName(namespace).delete();
            client.close();
        }
    }

    @Test
    void theNodeIsReadyOnThePinnedRelease() {
        List<Node> nodes = client.nodes().list().getItems();
        assertThat(nodes).hasSize(1);
        Node node = nodes.get(0);
        assertThat(node.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
                .extracting(NodeCondition::getStatus).containsExactly("True");
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.34.4");
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://");
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.34.4");
    }

    @Test
    void aPlainPodOfAnImageBuiltHereRunsToCompletion() {
        Pod pod = new PodBuilder().withNewMetadata().withName("smoke").withNamespace(namespace).endMetadata()
                .withNewSpec().withRestartPolicy("Never").withDnsPolicy("Default")
                .addNewContainer().withName("hello").withImage("localhost/corral-smoke:1").withImagePullPolicy("Never")
                .withNewResources().withLimits(Map.of("cpu", new Quantity("200m"), "memory", new Quantity("32Mi"))).endResources()
                .endContainer().endSpec().build();
        client.pods().inNamespace(namespace).resource(pod).create();
        // A new namespace's default ServiceAccount may lag its creation by a moment: the pod is created once it exists.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Pod now = client.pods().inNamespace(namespace).withName("smoke").get();
            return now != null && "Succeeded".equals(now.getStatus().getPhase());
        });
        String log = client.pods().inNamespace(namespace).withName("smoke").getLog();
        assertThat(log).contains("corral-smoke: hello from smoke")
                .containsPattern("corral-smoke: address 10\\.244\\.0\\.\\d+/24")
                .contains("corral-smoke: service-account token mounted")
                .contains("corral-smoke: kubernetes service reachable");
    }

    @Test
    void rbacIsTheApiServersOwn() {
        client.serviceAccounts().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("nobody").endMetadata().build()).create();
        String token = client.serviceAccounts().inNamespace(namespace).withName("nobody")
                .tokenRequest(new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                        .withNewSpec().withExpirationSeconds(600L).endSpec().build()).getStatus().getToken();
        // Only the token: with the admin's client certificate also presented, x509 would win.
        io.fabric8.kubernetes.client.Config asNobody = new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                .withMasterUrl(client.getConfiguration().getMasterUrl())
                .withCaCertData(client.getConfiguration().getCaCertData()).withCaCertFile(client.getConfiguration().getCaCertFile())
                .withOauthToken(token).build();
        try (KubernetesClient nobody = new KubernetesClientBuilder().withConfig(asNobody).build()) {
            assertThatThrownBy(() -> nobody.configMaps().inNamespace(namespace).list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getMessage()).contains("system:serviceaccount:" + namespace + ":nobody");
                    });
        }
    }
}
