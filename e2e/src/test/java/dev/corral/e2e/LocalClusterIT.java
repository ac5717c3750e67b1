package dev.corral.e2e;

import dev.corral.operator.config.OperatorConfig;
import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.monitoring.ReconcileMetrics;
import dev.corral.operator.reconciler.WebAppReconciler;
import dev.corral.operator.testing.ApplyAsMergeDispatcher;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The user's path as far as it goes without a cluster: the real Operator on fabric8's mock API, the
 * leaky example applied as a user would, and its pods as real server processes in real cgroups (played
 * by {@link LocalKubelet}). The kernel OOM-kills one pod's server; the operator reports that pod, raises
 * the memory quota in place, and the new limit lands in the pods' cgroups, while the other pod answers.
 */
class LocalClusterIT {
    private static final String NS = "shop";
    private static final Path EXAMPLES = Path.of(System.getProperty("corral.examples", "../examples")).toAbsolutePath();

    @TempDir
    Path work;
    private KubernetesMockServer server;
    private KubernetesClient client;
    private Operator operator;

    @BeforeEach
    void start() throws IOException {
        PodCgroup.assumeAvailable();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new ApplyAsMergeDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        try (FileInputStream crd = new FileInputStream("../crds/webapps.corral.dev-v1.yml")) {
            client.resource(Serialization.unmarshal(crd, CustomResourceDefinition.class)).create();
        }
        operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
        operator.register(new WebAppReconciler(new OperatorConfig("corral/server:local", 5, 10, Set.of(), "", 0, 2),
                new ReconcileMetrics(), Clock.systemUTC()));
        operator.start();
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.stop();
            client.close();
            server.destroy();
        }
    }

    @Test
    void theLeakyExampleIsOomKilledInOnePodReportedAndGivenMoreMemoryInPlace() throws Exception {
        WebApp leaky = Serialization.unmarshal(Files.readString(EXAMPLES.resolve("leaky/webapp.yaml")), WebApp.class);
        // Locally the pods resize in place (LocalKubelet applies pods/resize to the cgroups).
        leaky.getSpec().getAutoscaling().getVertical().setApply(dev.corral.operator.customresource.spec.ApplyMethod.InPlace);
        client.resource(leaky).inNamespace(NS).create();
        // The example's own JAVA_OPTS (a heap above the pod) make the kernel, not the JVM, stop the leak.
        Map<String, String> env = Map.of("JAVA_OPTS", "-Xmx2g");
        try (LocalKubelet kubelet = new LocalKubelet(client, NS, "leaky", work, env)) {
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).ignoreExceptionsInstanceOf(NullPointerException.class).untilAsserted(() -> {
                assertThat(kubelet.errors()).isEmpty();
                WebApp current = client.resources(WebApp.class).inNamespace(NS).withName("leaky").get();
                assertThat(current.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            });
            Map<String, ServerProcess> servers = kubelet.servers();
            assertThat(servers).containsOnlyKeys("leaky-0", "leaky-1");
            ServerProcess victim = servers.get("leaky-0");
            ServerProcess other = servers.get("leaky-1");
            assertThat(kubelet.cgroup("leaky-0").memoryLimit()).isEqualTo(768L << 20);

            SteadyLoad.Result onOther;
            try (SteadyLoad load = SteadyLoad.start(other, "/", 1)) {
                for (int i = 0; i < 200 && victim.process.isAlive(); i++) {
                    try {
                        victim.get("/leak");
                    } catch (IOException killed) {
                        break;
                    }
                }
                await().atMost(Duration.ofMinutes(2)).ignoreExceptionsInstanceOf(NullPointerException.class).untilAsserted(() -> {
                    WebApp current = client.resources(WebApp.class).inNamespace(NS).withName("leaky").get();
                    assertThat(current.getStatus().getOomKills()).isEqualTo(1);
                    assertThat(current.getStatus().getLastOOMKill().getPod()).isEqualTo("leaky-0");
                    assertThat(current.getStatus().getEffectiveResources().getMemory()).isEqualTo("1152Mi");
                    assertThat(events("OOMKilled")).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("pod leaky-0"));
                    assertThat(events("QuotaRaised")).singleElement().satisfies(e ->
                            assertThat(e.getMessage()).contains("memory raised from 768Mi to 1152Mi").contains("in place"));
                    // The raise reached both pods' real cgroups, without a restart of the pod that was not killed.
                    assertThat(kubelet.cgroup("leaky-0").memoryLimit()).isEqualTo(1152L << 20);
                    assertThat(kubelet.cgroup("leaky-1").memoryLimit()).isEqualTo(1152L << 20);
                });
                onOther = load.stop();
            }
            assertThat(kubelet.cgroup("leaky-0").oomKills()).isGreaterThanOrEqualTo(1);
            assertThat(kubelet.cgroup("leaky-1").oomKills()).isZero();
            assertThat(other.process.isAlive()).isTrue();
            assertThat(onOther.errors()).as("the other pod's failures: %s", onOther.failures()).isZero();
            assertThat(kubelet.errors()).isEmpty();
            System.out.println("[figures] local cluster: leaky-0 OOM-killed, reported and raised to 1152Mi in place; leaky-1 meanwhile: " + onOther);
        }
    }

    private List<Event> events(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }
}
