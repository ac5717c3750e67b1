package dev.corral.operator.reconciler;

import com.sun.net.httpserver.HttpServer;
import dev.corral.operator.config.OperatorConfig;
import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.status.VerticalScalingStatus;
import dev.corral.operator.customresource.status.WebAppStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.corral.operator.testing.RealApiServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Vertical and horizontal autoscaling, end to end through the real Operator on the CRUD mock. */
class AutoscalingIT {
    @RegisterExtension
    static final RealApiServer API = new RealApiServer();
    private String ns;
    private static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "corral-server",
            "app.kubernetes.io/instance", "hello", "app.kubernetes.io/managed-by", "corral-operator");
    private OperatorHarness harness;
    private KubernetesClient client;
    private HttpServer podMetrics;

    @BeforeEach
    void start() throws Exception {
        // Sample usage every second, so sustained throttling shows within the test's patience.
        OperatorConfig fast = new OperatorConfig(OperatorConfig.DEFAULTS.serverImage(), 5, 10, Set.of(), "", 0, 1);
        harness = new OperatorHarness(API, fast);
        ns = harness.namespace();
        client = harness.client();
    }

    @AfterEach
    void stop() {
        if (podMetrics != null) {
            podMetrics.stop(0);
        }
        harness.close();
        ApiCallLog.testFinished(AutoscalingIT.class);
    }

    @AfterAll
    static void everyCallIsAllowedAndEveryPermissionIsUsed() {
        ApiCallLog.check(API);
    }

    private static String webApp(String autoscaling) {
        return """
                apiVersion: corral.dev/v1alpha1
                kind: WebApp
                metadata: {name: hello}
                spec:
                  replicas: 2
                  resources: {cpu: 500m, memory: 512Mi}
                  bundle:
                    inline:
                      app.py: "application = None"
                  autoscaling:
                """ + autoscaling.indent(4);
    }

    private void create(String yaml) {
        client.resource(Serialization.unmarshal(yaml, WebApp.class)).inNamespace(ns).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments().inNamespace(ns).withName("hello").get() != null);
    }

    /** The status the operator last wrote; until it has written one, an assertion failure that {@code await} retries. */
    private WebAppStatus status() {
        WebApp webApp = client.resources(WebApp.class).inNamespace(ns).withName("hello").get();
        assertThat(webApp).isNotNull();
        assertThat(webApp.getStatus()).as("status written by the operator").isNotNull();
        return webApp.getStatus();
    }

    private VerticalScalingStatus autoscalingStatus() {
        WebAppStatus status = status();
        assertThat(status.getAutoscaling()).as("autoscaling status").isNotNull();
        return status.getAutoscaling();
    }

    private Container deploymentContainer() {
        Deployment deployment = client.apps().deployments().inNamespace(ns).withName("hello").get();
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals("server")).findFirst().orElseThrow();
    }

    /** A pod whose server container the kubelet reports OOM-killed just now. */
    private void oomKilledPod(String name) {
        createPod(new PodBuilder().withNewMetadata().withName(name).withLabels(LABELS).endMetadata()
                .withNewSpec().addNewContainer().withName("server").withImage("corral").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewContainerStatus().withName("server").withRestartCount(1)
                .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).withFinishedAt(Instant.now().toString())
                .endTerminated().endLastState().endContainerStatus().endStatus().build());
    }

    private List<Event> events(String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    private static Quantity limit(Container container, String resource) {
        return container.getResources().getLimits().get(resource);
    }

    @Test
    void oomKillsRaiseMemoryByRolloutUpToTheCeilingThenALeakIsSuspected() throws IOException {
        create(webApp("vertical: {apply: Rollout, maxMemory: 1Gi, cooldown: 1s}"));

        oomKilledPod("hello-k1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(limit(deploymentContainer(), "memory")).isEqualTo(new Quantity("768Mi"));   // 512Mi x 1.5
            assertThat(deploymentContainer().getResources().getRequests().get("memory")).isEqualTo(new Quantity("768Mi"));
            assertThat(status().getEffectiveResources().getMemory()).isEqualTo("768Mi");
            assertThat(autoscalingStatus().getMemoryRaises()).isEqualTo(1);
            assertThat(autoscalingStatus().getApplyMethod()).isEqualTo("Rollout");
            assertThat(events("QuotaRaised")).singleElement().satisfies(e -> {
                assertThat(e.getType()).isEqualTo("Normal");
                assertThat(e.getMessage()).startsWith("memory raised from 512Mi to 768Mi: 1 OOM kill(s)").endsWith("(applied by rollout)");
            });
        });
        assertThat(deploymentContainer().getResources().getLimits().get("cpu")).as("CPU untouched").isEqualTo(new Quantity("500m"));

        oomKilledPod("hello-k2");
        // One reconcile decides the raise, applies it to the Deployment, and only then writes the status: once the
        // status reports the raise, the Deployment already carries it, with no second pass to bring it there.
        await().atMost(Duration.ofSeconds(30)).until(() -> "1Gi".equals(status().getEffectiveResources().getMemory()));
        assertThat(limit(deploymentContainer(), "memory")).as("768Mi x 1.5 capped at maxMemory").isEqualTo(new Quantity("1Gi"));

        oomKilledPod("hello-k3");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(status().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("MemoryLeakSuspected");
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getMessage()).contains("at the memory ceiling 1Gi");
            });
            assertThat(events("MemoryLeakSuspected")).singleElement().satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
        });
        assertThat(limit(deploymentContainer(), "memory")).isEqualTo(new Quantity("1Gi"));
        assertThat(events("QuotaRaised")).hasSize(2);
        assertThat(metricsText()).contains("corral_operator_quota_changes_total{direction=\"raised\",namespace=\"" + ns + "\",resource=\"memory\",webapp=\"hello\"} 2.0");
    }

    @Test
    void autoResizesRunningPodsInPlaceWhereDiscoveryListsPodsResizeAndLeavesTheTemplateAlone() {
        // apply: Auto (the default): this API server (1.34) lists pods/resize in the core group's discovery.
        create(webApp("vertical: {maxMemory: 2Gi}"));
        createPod(new PodBuilder().withNewMetadata().withName("hello-run").withLabels(LABELS).endMetadata()
                .withNewSpec().addNewContainer().withName("server").withImage("corral")
                .withNewResources().addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("512Mi")).endResources()
                .endContainer().endSpec().withNewStatus().withPhase("Running").endStatus().build());
        oomKilledPod("hello-k1");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Pod running = client.pods().inNamespace(ns).withName("hello-run").get();
            assertThat(running.getSpec().getContainers().get(0).getResources().getLimits())
                    .containsEntry("memory", new Quantity("768Mi")).containsEntry("cpu", new Quantity("500m"));
            assertThat(autoscalingStatus().getApplyMethod()).isEqualTo("InPlace");
            assertThat(events("QuotaRaised")).singleElement().satisfies(e -> assertThat(e.getMessage()).endsWith("(applied in place)"));
        });
        assertThat(limit(deploymentContainer(), "memory")).as("no rollout: the template keeps the spec's quota").isEqualTo(new Quantity("512Mi"));
    }

    @Test
    void aResizeTheKubeletRefusesFallsBackToARolloutAndSaysSo() {
        create(webApp("vertical: {apply: InPlace}"));
        createPod(new PodBuilder().withNewMetadata().withName("hello-run").withLabels(LABELS).endMetadata()
                .withNewSpec().addNewContainer().withName("server").withImage("corral")
                .withNewResources().addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("512Mi")).endResources()
                .endContainer().endSpec().withNewStatus().withPhase("Running").endStatus().build());
        oomKilledPod("hello-k1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.pods().inNamespace(ns).withName("hello-run").get()
                .getSpec().getContainers().get(0).getResources().getLimits()).containsEntry("memory", new Quantity("768Mi")));
        assertThat(limit(deploymentContainer(), "memory")).isEqualTo(new Quantity("512Mi"));

        // The kubelet cannot fit the new size on its node, and says so on the pod, as it does.
        Pod refused = client.pods().inNamespace(ns).withName("hello-run").get();
        refused.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("PodResizePending")
                .withStatus("True").withReason("Infeasible").withMessage("Node didn't have enough capacity: memory")
                .withLastTransitionTime(Instant.now().toString()).build()));
        client.pods().inNamespace(ns).resource(refused).updateStatus();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(autoscalingStatus().getApplyMethod()).isEqualTo("Rollout");
            assertThat(autoscalingStatus().getInPlaceRefused()).isEqualTo("pod hello-run: Infeasible: Node didn't have enough capacity: memory");
            assertThat(limit(deploymentContainer(), "memory")).as("the new quota rolls out instead").isEqualTo(new Quantity("768Mi"));
            assertThat(events("InPlaceResizeRefused")).singleElement().satisfies(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).contains("pod hello-run: Infeasible").endsWith("quota changes now roll the pods");
            });
        });
    }

    @Test
    void aDeletedWebAppsUsageIsForgotten() {
        create(webApp("vertical: {apply: Rollout}"));
        client.resource(Serialization.unmarshal(webApp("vertical: {apply: Rollout}").replace("name: hello", "name: other"), WebApp.class))
                .inNamespace(ns).create();
        String hello = client.resources(WebApp.class).inNamespace(ns).withName("hello").get().getMetadata().getUid();
        String other = client.resources(WebApp.class).inNamespace(ns).withName("other").get().getMetadata().getUid();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(harness.reconciler.trackedUsage()).containsExactlyInAnyOrder(hello, other));

        client.resources(WebApp.class).inNamespace(ns).withName("hello").delete();
        // No reconcile comes for a deleted WebApp (no finalizer): the next one of any WebApp drops it.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(harness.reconciler.trackedUsage()).containsExactly(other));
    }

    @Test
    void sustainedThrottlingRaisesCpu() throws IOException {
        int port = servePodMetrics(0.5);
        create(webApp("vertical: {apply: Rollout, sustainFor: 2s}"));
        runningPodWithMetrics("hello-busy", port);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(limit(deploymentContainer(), "cpu")).isEqualTo(new Quantity("750m"));
            assertThat(events("QuotaRaised")).singleElement().satisfies(e ->
                    assertThat(e.getMessage()).startsWith("cpu raised from 500m to 750m: throttled in at least 25% of CPU periods"));
        });
        assertThat(limit(deploymentContainer(), "memory")).isEqualTo(new Quantity("512Mi"));
    }

    @Test
    void withHorizontalScalingAnHpaScalesTheWebAppAndThrottlingLeavesCpuAlone() throws Exception {
        int port = servePodMetrics(0.5);
        create(webApp("""
                vertical: {apply: Rollout, sustainFor: 1s}
                horizontal: {minReplicas: 2, maxReplicas: 6, targetCPUUtilization: 60, targetRequestsInFlight: 20}
                """));
        runningPodWithMetrics("hello-busy", port);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HorizontalPodAutoscaler hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("hello").get();
            assertThat(hpa).isNotNull();
            assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("WebApp");
            assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("corral.dev/v1alpha1");
            assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
            assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);
            assertThat(hpa.getSpec().getMetrics()).filteredOn(m -> "Resource".equals(m.getType())).singleElement().satisfies(m -> {
                assertThat(m.getResource().getName()).isEqualTo("cpu");
                assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(60);
            });
            assertThat(hpa.getSpec().getMetrics()).filteredOn(m -> "Pods".equals(m.getType())).singleElement().satisfies(m -> {
                assertThat(m.getPods().getMetric().getName()).isEqualTo("corral_http_requests_in_flight");
                assertThat(m.getPods().getTarget().getAverageValue()).isEqualTo(new Quantity("20"));
            });
            assertThat(hpa.getMetadata().getOwnerReferences()).anyMatch(o -> o.getKind().equals("WebApp"));
            autoscalingStatus();
        });
        // Throttled for well past sustainFor: with the HPA on, CPU is its to scale (by pods), not the quota's.
        Thread.sleep(4000);
        assertThat(limit(deploymentContainer(), "cpu")).isEqualTo(new Quantity("500m"));
        assertThat(events("QuotaRaised")).isEmpty();

        client.resources(WebApp.class).inNamespace(ns).withName("hello")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"autoscaling\":{\"horizontal\":null}}}");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("hello").get() == null);
        // Without the HPA, the same throttling now raises CPU.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(limit(deploymentContainer(), "cpu")).isEqualTo(new Quantity("750m")));
    }

    @Test
    void impossibleBoundsAreRefusedByTheApiServersCelRules() {
        // The operator checks the same again (SpecValidationTest); here the API server refuses them first.
        WebApp invalid = Serialization.unmarshal(webApp("""
                vertical: {minMemory: 2Gi, maxMemory: 1Gi}
                horizontal: {minReplicas: 5, maxReplicas: 2}
                """), WebApp.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.resource(invalid).inNamespace(ns).create())
                .isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("spec.autoscaling.vertical").contains("spec.autoscaling.horizontal");
                });
        assertThat(client.resources(WebApp.class).inNamespace(ns).withName("hello").get()).isNull();
    }

    /** A stand-in for a server pod's admin /metrics: counters that advance per scrape, throttled in this fraction of periods. */
    private int servePodMetrics(double throttledFraction) throws IOException {
        AtomicLong scrapes = new AtomicLong();
        podMetrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        podMetrics.createContext("/metrics", exchange -> {
            long n = scrapes.incrementAndGet();
            String body = "# TYPE corral_cgroup_cpu_periods counter\n"
                    + "corral_cgroup_cpu_periods_total " + (n * 100) + ".0\n"
                    + "corral_cgroup_cpu_throttled_periods_total " + (long) (n * 100 * throttledFraction) + ".0\n"
                    + "corral_cgroup_memory_usage_bytes " + (300L << 20) + ".0\n"
                    + "process_cpu_seconds_total " + (n * 0.5) + "\n";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        podMetrics.start();
        return podMetrics.getAddress().getPort();
    }

    private void runningPodWithMetrics(String name, int port) {
        createPod(new PodBuilder().withNewMetadata().withName(name).withLabels(LABELS).endMetadata()
                .withNewSpec().addNewContainer().withName("server").withImage("corral")
                .addNewPort().withName("admin").withContainerPort(port).endPort()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("127.0.0.1").endStatus().build());
    }

    private String metricsText() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, harness.metrics.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private void createPod(io.fabric8.kubernetes.api.model.Pod pod) {
        API.createPodWithStatus(ns, pod);
    }
}
