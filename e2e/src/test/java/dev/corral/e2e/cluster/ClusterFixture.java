package dev.corral.e2e.cluster;

import com.marcnuri.helm.Helm;
import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * A real cluster from KUBECONFIG with the chart installed by embedded Helm into its own namespace, and a
 * namespace for the test's WebApps; both removed at the end. Written so it runs unchanged on kind.
 */
final class ClusterFixture implements AutoCloseable {
    static final Path EXAMPLES = Path.of(System.getProperty("corral.examples", "../examples")).toAbsolutePath();
    static final Path CHART = Path.of(System.getProperty("corral.chart", "../helm/corral")).toAbsolutePath();
    static final Duration READY = Duration.ofMinutes(5);
    /** The in-cluster HTTP client image that ./dev cluster up imports (e2e/cluster/tiny/load). */
    static final String LOAD_IMAGE = System.getProperty("corral.e2e.loadImage", "localhost/corral-load:1");

    final KubernetesClient client;
    final String namespace;
    final String release;
    private final String operatorNamespace;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /** Skips (with the reason) unless KUBECONFIG names a readable file. */
    static void requireCluster() {
        String kubeconfig = System.getenv("KUBECONFIG");
        boolean usable = kubeconfig != null && !kubeconfig.isBlank() && Files.isReadable(Path.of(kubeconfig.split(":")[0]));
        String reason = "KUBECONFIG is not set (or not readable): the real-cluster suite is skipped. See docs/e2e.md to run it on kind.";
        if (!usable) {
            System.out.println("[skipped] " + reason);
        }
        Assumptions.assumeTrue(usable, reason);
    }

    /**
     * Skips (with the reason) unless the images to install were named: the defaults name registry images
     * that do not exist yet, and a cluster here cannot pull anything.
     */
    static void requireImages() {
        boolean named = System.getProperty("corral.e2e.operatorImage") != null && System.getProperty("corral.e2e.serverImage") != null;
        String reason = "no -Dcorral.e2e.operatorImage / -Dcorral.e2e.serverImage given: the user-path suite needs images loaded on the nodes";
        if (!named) {
            System.out.println("[skipped] " + reason);
        }
        Assumptions.assumeTrue(named, reason);
    }

    ClusterFixture() {
        String id = UUID.randomUUID().toString().substring(0, 6);
        client = new KubernetesClientBuilder().build();
        namespace = "corral-e2e-" + id;
        operatorNamespace = "corral-system-" + id;
        release = "corral-" + id;
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        String operatorImage = System.getProperty("corral.e2e.operatorImage", "ghcr.io/corral-dev/corral-operator:0.1.0");
        String serverImage = System.getProperty("corral.e2e.serverImage", "ghcr.io/corral-dev/corral-server:0.1.0");
        long began = System.nanoTime();
        new Helm(CHART).install().withName(release).withNamespace(operatorNamespace).createNamespace()
                .withKubeConfig(Path.of(System.getenv("KUBECONFIG").split(":")[0]))
                .set("image.repository", repository(operatorImage)).set("image.tag", tag(operatorImage))
                .set("image.pullPolicy", "IfNotPresent")
                .set("serverImage.repository", repository(serverImage)).set("serverImage.tag", tag(serverImage))
                .set("watchNamespaces[0]", namespace)
                // The chart's NetworkPolicy for the admin port, so the real API server has to take it (UserPathE2E).
                .set("networkPolicy.enabled", "true")
                .set("networkPolicy.metricsFrom[0].podSelector.matchLabels.app", "prometheus")
                .waitReady().withTimeout(300)
                .call();
        System.out.printf("[figures] helm install -> operator Ready: %.1f s%n", (System.nanoTime() - began) / 1e9);
    }

    /** Applies an example's webapp.yaml in the test namespace. */
    WebApp apply(String example) throws IOException {
        WebApp webApp = Serialization.unmarshal(Files.readString(EXAMPLES.resolve(example).resolve("webapp.yaml")), WebApp.class);
        return client.resource(webApp).inNamespace(namespace).create();
    }

    /** Deletes a WebApp and waits until the garbage collector has removed its pods. */
    void deleteAndAwaitGone(String name) {
        client.resources(WebApp.class).inNamespace(namespace).withName(name).delete();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() ->
                client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/instance", name).list().getItems().isEmpty());
    }

    WebApp get(String name) {
        return client.resources(WebApp.class).inNamespace(namespace).withName(name).get();
    }

    /** Waits for Ready=True at the current generation. */
    void awaitReady(String name) {
        long began = System.nanoTime();
        awaitReadyQuietly(name);
        System.out.printf("[figures] %s Ready after %.1f s%n", name, (System.nanoTime() - began) / 1e9);
    }

    private void awaitReadyQuietly(String name) {
        await().atMost(READY).pollInterval(Duration.ofSeconds(2)).until(() -> {
            WebApp webApp = get(name);
            return webApp != null && webApp.getStatus() != null
                    && webApp.getMetadata().getGeneration().equals(webApp.getStatus().getObservedGeneration())
                    && webApp.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        });
    }

    /** The WebApp's running pods. */
    List<Pod> pods(String name) {
        return client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/instance", name).list().getItems().stream()
                .filter(p -> "Running".equals(p.getStatus().getPhase()) && p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** A port-forward to one pod's HTTP port (8080). */
    LocalPortForward forward(Pod pod) {
        return client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).portForward(8080);
    }

    /** A port-forward to one pod's admin port (9090: /metrics, /healthz, /readyz). */
    LocalPortForward forwardAdmin(Pod pod) {
        return client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).portForward(9090);
    }

    /** The value of one sample of a pod's /metrics, named with its labels exactly as the server writes it. */
    double metric(Pod pod, String sample) throws IOException, InterruptedException {
        try (LocalPortForward admin = forwardAdmin(pod)) {
            return get(admin, "/metrics").body().lines().filter(line -> line.startsWith(sample + " "))
                    .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1).trim()))
                    .findFirst().orElseThrow(() -> new AssertionError(sample + " is not in /metrics of " + pod.getMetadata().getName()));
        }
    }

    HttpResponse<String> get(LocalPortForward forward, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + forward.getLocalPort() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            client.namespaces().withName(namespace).delete();
            Helm.uninstall(release).withNamespace(operatorNamespace)
                    .withKubeConfig(Path.of(System.getenv("KUBECONFIG").split(":")[0])).ignoreNotFound().call();
            client.namespaces().withName(operatorNamespace).delete();
        } finally {
            client.close();
        }
    }

    private static String repository(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    private static String tag(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
    }
}
