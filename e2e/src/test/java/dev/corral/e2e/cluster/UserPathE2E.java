package dev.corral.e2e.cluster;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A user's whole path on a real cluster: helm install, kubectl apply each example, wait for Ready, call
 * it, watch a leaky pod be OOM-killed alone and reported, roll out a new bundle under load without an
 * error, scale through the scale subresource, delete and see the owned objects go.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserPathE2E {
    private static ClusterFixture cluster;

    @BeforeAll
    static void install() {
        ClusterFixture.requireCluster();
        ClusterFixture.requireImages();
        cluster = new ClusterFixture();
    }

    @AfterAll
    static void uninstall() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(4)
    void helloBecomesReadyAndAnswers() throws Exception {
        cluster.apply("hello");
        cluster.awaitReady("hello");
        WebApp hello = cluster.get("hello");
        assertThat(hello.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(hello.getStatus().getUrl()).isEqualTo("http://hello." + cluster.namespace + ".svc/");
        try (LocalPortForward forward = cluster.forward(cluster.pods("hello").get(0))) {
            assertThat(cluster.get(forward, "/").body()).isEqualTo("Hello from Corral!\n");
        }
        // The chart's NetworkPolicy as the API server stored it: it selects these pods, and the ports it
        // opens by name are the names the pods' container declares.
        NetworkPolicy policy = cluster.client.network().v1().networkPolicies().inNamespace(cluster.namespace)
                .withName(cluster.release + "-webapps").get();
        assertThat(policy).as("the chart's NetworkPolicy in the watched namespace").isNotNull();
        assertThat(cluster.client.pods().inNamespace(cluster.namespace).withLabels(policy.getSpec().getPodSelector().getMatchLabels())
                .list().getItems()).extracting(p -> p.getMetadata().getName())
                .containsAll(cluster.pods("hello").stream().map(p -> p.getMetadata().getName()).toList());
        assertThat(policy.getSpec().getIngress()).extracting(rule -> rule.getPorts().get(0).getPort().getStrVal())
                .containsExactly("http", "admin");
        assertThat(cluster.pods("hello").get(0).getSpec().getContainers().get(0).getPorts())
                .extracting(io.fabric8.kubernetes.api.model.ContainerPort::getName).contains("http", "admin");
        assertThat(policy.getSpec().getIngress().get(1).getFrom()).singleElement()
                .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app", "prometheus"));
    }

    @Test
    @Order(1)
    void theJsonApiKeepsItsRouteBudgets() throws Exception {
        cluster.apply("json-api");
        cluster.awaitReady("json-api");
        assertThat(cluster.client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(cluster.namespace).withName("json-api").get())
                .as("its HPA").isNotNull();
        try (LocalPortForward forward = cluster.forward(cluster.pods("json-api").get(0))) {
            assertThat(cluster.get(forward, "/api/items").statusCode()).isEqualTo(200);
            assertThat(cluster.get(forward, "/api/export?mb=100").statusCode()).isEqualTo(503);
            assertThat(cluster.get(forward, "/api/health").statusCode()).isEqualTo(200);
        }
        // The node has 2 cores and every example asks 500m per pod: each makes room for the next.
        cluster.deleteAndAwaitGone("json-api");
    }

    @Test
    @Order(2)
    void theBottleAppRunsFromAConfigMapBundle() throws Exception {
        Path notes = ClusterFixture.EXAMPLES.resolve("notes");
        if (!Files.exists(notes.resolve("lib/corral-bundle.lock"))) {
            assertThat(new ProcessBuilder(ClusterFixture.EXAMPLES.resolveSibling("dev").toString(), "bundle", notes.toString())
                    .inheritIO().start().waitFor()).isZero();
        }
        cluster.client.configMaps().inNamespace(cluster.namespace).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("notes-bundle").endMetadata()
                .addToData("app.py", Files.readString(notes.resolve("app.py")))
                .addToData("corral.json", Files.readString(notes.resolve("corral.json")))
                .addToData("bottle.py", Files.readString(notes.resolve("lib/bottle.py")))
                .build()).create();
        cluster.apply("notes");
        cluster.awaitReady("notes");
        try (LocalPortForward forward = cluster.forward(cluster.pods("notes").get(0))) {
            assertThat(cluster.get(forward, "/").body()).contains("<h1>Notes");
        }
        cluster.deleteAndAwaitGone("notes");
    }

    @Test
    @Order(3)
    void aLeakyPodIsOomKilledAloneAndReportedWhileTheOtherKeepsAnswering() throws Exception {
        cluster.apply("leaky");
        cluster.awaitReady("leaky");
        List<Pod> pods = cluster.pods("leaky");
        assertThat(pods).hasSize(2);
        Pod victim = pods.get(0);
        Pod other = pods.get(1);
        // What an in-place raise gives a running server: read before and after on the twin, which is not killed.
        double limitBefore = cluster.metric(other, "corral_cgroup_memory_limit_bytes");
        double heapBefore = cluster.metric(other, HEAP_MAX);
        int restartsBefore = serverRestarts(other.getMetadata().getName());
        AtomicInteger otherErrors = new AtomicInteger();
        AtomicInteger otherOk = new AtomicInteger();
        try (LocalPortForward toVictim = cluster.forward(victim); LocalPortForward toOther = cluster.forward(other)) {
            Thread load = Thread.ofPlatform().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        (cluster.get(toOther, "/").statusCode() == 200 ? otherOk : otherErrors).incrementAndGet();
                    } catch (IOException e) {
                        otherErrors.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                for (int i = 0; i < 200; i++) {
                    try {
                        cluster.get(toVictim, "/leak");
                    } catch (IOException killed) {
                        break;
                    }
                }
                await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
                    WebApp leaky = cluster.get("leaky");
                    assertThat(leaky.getStatus().getOomKills()).isGreaterThanOrEqualTo(1);
                    assertThat(leaky.getStatus().getLastOOMKill().getPod()).isEqualTo(victim.getMetadata().getName());
                    assertThat(events("OOMKilled")).anyMatch(e -> e.getMessage().contains(victim.getMetadata().getName()));
                    assertThat(events("QuotaRaised")).as("the autoscaler raised memory after the kill").isNotEmpty();
                });
            } finally {
                load.interrupt();
                load.join();
            }
        }
        assertThat(otherErrors.get()).as("the other pod's errors while its twin was killed").isZero();
        assertThat(otherOk.get()).isPositive();
        System.out.println("[figures] leaky: " + victim.getMetadata().getName() + " OOM-killed; its twin answered " + otherOk.get()
                + " requests meanwhile, " + otherErrors.get() + " failed");

        // The raise (768Mi x 1.5) went in place through pods/resize: the kubelet reports the new limit for
        // the running containers, and the kernel enforces it in each container's own cgroup.
        long raised = 1152L << 20;
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(events("QuotaRaised")).anyMatch(e -> e.getMessage().contains("to 1152Mi") && e.getMessage().endsWith("(applied in place)"));
            for (Pod pod : cluster.pods("leaky")) {
                io.fabric8.kubernetes.api.model.ContainerStatus server = pod.getStatus().getContainerStatuses().stream()
                        .filter(c -> c.getName().equals("server")).findFirst().orElseThrow();
                assertThat(server.getResources().getLimits().get("memory")).as(pod.getMetadata().getName() + " as the kubelet reports it")
                        .isEqualTo(new io.fabric8.kubernetes.api.model.Quantity("1152Mi"));
                assertThat(ContainerCgroup.memoryLimit(server.getContainerID())).as(pod.getMetadata().getName() + " in its cgroup")
                        .isEqualTo(raised);
            }
        });
        List<String> sameNames = cluster.pods("leaky").stream().map(p -> p.getMetadata().getName()).toList();
        assertThat(sameNames).as("resized, not replaced").contains(other.getMetadata().getName());
        // resizePolicy NotRequired: the twin's server runs on, warm, and reads the raised limit live; its JVM
        // keeps the heap ceiling it sized at start (here the example's -Xmx; by default 25% of the start limit).
        double limitAfter = cluster.metric(other, "corral_cgroup_memory_limit_bytes");
        double heapAfter = cluster.metric(other, HEAP_MAX);
        int restartsAfter = serverRestarts(other.getMetadata().getName());
        System.out.println("[figures] in-place raise on the twin " + other.getMetadata().getName() + ": cgroup limit "
                + (long) limitBefore / MIB + " -> " + (long) limitAfter / MIB + " MiB, JVM heap max " + (long) heapBefore / MIB
                + " -> " + (long) heapAfter / MIB + " MiB, server restarts " + restartsBefore + " -> " + restartsAfter);
        assertThat(limitAfter).as("the running server sees the raised limit").isEqualTo((double) raised);
        assertThat(heapAfter).as("the heap ceiling is the JVM's from its start").isEqualTo(heapBefore);
        assertThat(restartsAfter).as("no restart for the raise").isEqualTo(restartsBefore);
        cluster.deleteAndAwaitGone("leaky");
    }

    @Test
    @Order(5)
    void aBundleChangeRollsOutWithoutAnErrorUnderLoad() throws Exception {
        // Load from inside the cluster through the Service (kube-proxy's rules), as clients would see the
        // rollout. No cluster DNS here: the client is given the Service's address.
        String service = cluster.client.services().inNamespace(cluster.namespace).withName("hello").get().getSpec().getClusterIP();
        cluster.client.pods().inNamespace(cluster.namespace).resource(new PodBuilder()
                .withNewMetadata().withName("hello-load").endMetadata()
                .withNewSpec().withRestartPolicy("Never").withDnsPolicy("Default").addNewContainer().withName("load")
                .withImage(ClusterFixture.LOAD_IMAGE).withImagePullPolicy("Never")
                .withCommand("/load", "http://" + service + "/", "90").endContainer().endSpec().build()).create();
        await().atMost(Duration.ofMinutes(2)).until(() -> "Running".equals(
                cluster.client.pods().inNamespace(cluster.namespace).withName("hello-load").get().getStatus().getPhase()));
        long generation = cluster.get("hello").getMetadata().getGeneration();
        cluster.client.resources(WebApp.class).inNamespace(cluster.namespace).withName("hello").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"bundle\":{\"inline\":{\"app.py\":\"def application(e, s):\\n    s('200 OK', [('Content-Type', 'text/plain')])\\n    return [b'v2\\\\n']\\n\"}}}}");
        await().atMost(ClusterFixture.READY).until(() -> cluster.get("hello").getMetadata().getGeneration() > generation);
        cluster.awaitReady("hello");
        await().atMost(Duration.ofMinutes(3)).until(() -> "Succeeded".equals(
                cluster.client.pods().inNamespace(cluster.namespace).withName("hello-load").get().getStatus().getPhase()));
        String log = cluster.client.pods().inNamespace(cluster.namespace).withName("hello-load").getLog();
        Matcher counts = Pattern.compile("ok=(\\d+) fail=(\\d+)").matcher(log);
        assertThat(counts.find()).as(log).isTrue();
        assertThat(Integer.parseInt(counts.group(1))).isPositive();
        assertThat(Integer.parseInt(counts.group(2))).as("requests failed during the rollout").isZero();
        System.out.println("[figures] bundle rollout under load through the Service: " + counts.group());
        try (LocalPortForward forward = cluster.forward(cluster.pods("hello").get(0))) {
            assertThat(cluster.get(forward, "/").body()).isEqualTo("v2\n");
        }
    }

    @Test
    @Order(6)
    void kubectlScaleChangesThePodCount() {
        cluster.client.resources(WebApp.class).inNamespace(cluster.namespace).withName("hello").scale(3);
        cluster.awaitReady("hello");
        assertThat(cluster.get("hello").getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(cluster.client.apps().deployments().inNamespace(cluster.namespace).withName("hello").get().getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    @Order(7)
    void deletingAWebAppDeletesWhatItOwned() {
        cluster.client.resources(WebApp.class).inNamespace(cluster.namespace).withName("hello").delete();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(cluster.client.apps().deployments().inNamespace(cluster.namespace).withName("hello").get()).isNull();
            assertThat(cluster.client.services().inNamespace(cluster.namespace).withName("hello").get()).isNull();
            assertThat(cluster.client.configMaps().inNamespace(cluster.namespace).withName("hello-bundle").get()).isNull();
            assertThat(cluster.client.policy().v1().podDisruptionBudget().inNamespace(cluster.namespace).withName("hello").get()).isNull();
        });
    }

    @Test
    @Order(8)
    void twoPodsOomKilledTogetherAreTwoKills() throws Exception {
        // Both pods asked at once to allocate past their quota: the kernel kills each server within moments,
        // often in the same second, which is all the API server keeps of a termination's time.
        WebApp boom = io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                apiVersion: corral.dev/v1alpha1
                kind: WebApp
                metadata: {name: boom}
                spec:
                  replicas: 2
                  resources: {cpu: 500m, memory: 768Mi}
                  requestBudget: {memory: "off", timeout: 60s}
                  env:
                    - {name: JAVA_OPTS, value: "-Djava.io.tmpdir=/tmp -Xmx3g"}
                  bundle:
                    inline:
                      app.py: |
                        def application(environ, start_response):
                            if environ["PATH_INFO"] == "/boom":
                                kept = [bytearray(64 << 20) for _ in range(32)]
                            start_response("200 OK", [("Content-Type", "text/plain")])
                            return [b"ok"]
                """, WebApp.class);
        cluster.client.resource(boom).inNamespace(cluster.namespace).create();
        cluster.awaitReady("boom");
        List<Pod> pods = cluster.pods("boom");
        assertThat(pods).hasSize(2);
        List<LocalPortForward> forwards = pods.stream().map(cluster::forward).toList();
        try {
            List<Thread> askers = forwards.stream().map(forward -> Thread.ofPlatform().start(() -> {
                try {
                    cluster.get(forward, "/boom");
                } catch (IOException | InterruptedException killed) {
                    // The server died under the request: what this test is for.
                }
            })).toList();
            for (Thread asker : askers) {
                asker.join(Duration.ofSeconds(90));
            }
        } finally {
            for (LocalPortForward forward : forwards) {
                forward.close();
            }
        }
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            WebApp seen = cluster.get("boom");
            assertThat(seen.getStatus().getOomKills()).as("kills counted").isEqualTo(2);
            assertThat(seen.getStatus().getCountedOOMKills()).hasSize(2);
            assertThat(events("OOMKilled")).filteredOn(e -> e.getInvolvedObject().getName().equals("boom")).hasSize(2)
                    .anyMatch(e -> e.getMessage().contains(pods.get(0).getMetadata().getName()))
                    .anyMatch(e -> e.getMessage().contains(pods.get(1).getMetadata().getName()));
        });
        List<String> times = cluster.client.pods().inNamespace(cluster.namespace).withLabel("app.kubernetes.io/instance", "boom").list()
                .getItems().stream().map(p -> p.getStatus().getContainerStatuses().get(0).getLastState().getTerminated())
                .filter(t -> t != null).map(t -> t.getReason() + "@" + t.getFinishedAt()).toList();
        System.out.println("[figures] two pods OOM-killed together: " + times + "; counted " + cluster.get("boom").getStatus().getOomKills());
        cluster.deleteAndAwaitGone("boom");
    }

    private static List<Event> events(String reason) {
        return cluster.client.v1().events().inNamespace(cluster.namespace).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    private static final String HEAP_MAX = "jvm_memory_max_bytes{area=\"heap\"}";
    private static final long MIB = 1 << 20;

    /** The server container's restart count, as the kubelet reports it. */
    private int serverRestarts(String pod) {
        return cluster.client.pods().inNamespace(cluster.namespace).withName(pod).get().getStatus().getContainerStatuses().stream()
                .filter(c -> c.getName().equals("server")).findFirst().orElseThrow().getRestartCount();
    }
}
