package dev.corral.operator.reconciler;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.dependent.BundleHash;
import dev.corral.operator.dependent.ReferencedBundles;
import dev.corral.operator.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator caches only what it made and the ConfigMaps its WebApps name, not every object of the
 * namespaces it watches: with 2,000 foreign ConfigMaps and 500 foreign Deployments beside two WebApps,
 * every list and watch it sends the real API server carries a label selector, and its heap says so.
 */
class InformerScopeIT {
    @RegisterExtension
    static final RealApiServer API = new RealApiServer();
    private static final int FOREIGN_CONFIGMAPS = 2_000;
    private static final int FOREIGN_DEPLOYMENTS = 500;
    private OperatorHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void foreignObjectsAreNeitherListedNorCached() throws Exception {
        harness = new OperatorHarness(API);
        String ns = harness.namespace();
        KubernetesClient client = harness.client();
        long before = heapAfterGc();
        String filler = "x".repeat(1024);
        // Runnables, not callables: the futures must not keep the created objects on this JVM's heap.
        try (ExecutorService creators = Executors.newFixedThreadPool(8)) {
            List<Future<?>> created = new java.util.ArrayList<>();
            IntStream.range(0, FOREIGN_CONFIGMAPS).forEach(i -> created.add(creators.submit(() -> {
                client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("foreign-" + i)
                        .addToLabels("team", "other").endMetadata().addToData("settings.conf", filler).build()).create();
            })));
            IntStream.range(0, FOREIGN_DEPLOYMENTS).forEach(i -> created.add(creators.submit(() -> {
                client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder().withNewMetadata().withName("foreign-" + i).endMetadata()
                            .withNewSpec().withNewSelector().addToMatchLabels("app", "foreign-" + i).endSelector()
                            .withNewTemplate().withNewMetadata().addToLabels("app", "foreign-" + i).endMetadata()
                            .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec()
                            .endTemplate().endSpec().build()).create();
            })));
            for (Future<?> done : created) {
                done.get();
            }
        }
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("shop-code").endMetadata()
                .addToData("app.py", "application = 1").build()).create();
        client.resource(Serialization.unmarshal("""
                apiVersion: corral.dev/v1alpha1
                kind: WebApp
                metadata: {name: shop}
                spec:
                  replicas: 1
                  resources: {cpu: 500m, memory: 768Mi}
                  bundle:
                    configMapRef: {name: shop-code}
                """, WebApp.class)).inNamespace(ns).create();
        client.resource(Serialization.unmarshal("""
                apiVersion: corral.dev/v1alpha1
                kind: WebApp
                metadata: {name: hello}
                spec:
                  replicas: 2
                  resources: {cpu: 500m, memory: 768Mi}
                  bundle:
                    inline: {app.py: "application = None"}
                """, WebApp.class)).inNamespace(ns).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            var shop = client.apps().deployments().inNamespace(ns).withName("shop").get();
            assertThat(shop).isNotNull();
            assertThat(shop.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry(BundleHash.ANNOTATION, BundleHash.ofFiles(Map.of("app.py", "application = 1")));
            assertThat(client.apps().deployments().inNamespace(ns).withName("hello").get()).isNotNull();
        });
        assertThat(client.apps().deployments().inNamespace(ns).withName("shop").get().getMetadata().getGeneration())
                .as("made with the bundle's hash at once, not rolled from a missing one once the watch brought the map").isEqualTo(1L);
        Thread.sleep(2000); // let the informers take in whatever the watches bring
        long after = heapAfterGc();
        System.out.println("[figures] informer scope: operator heap (test JVM, used after GC) " + (before >> 20) + " MiB before "
                + FOREIGN_CONFIGMAPS + " foreign ConfigMaps (1 KiB each) and " + FOREIGN_DEPLOYMENTS + " foreign Deployments, "
                + (after >> 20) + " MiB after they and two WebApps were reconciled (delta " + ((after - before) >> 20) + " MiB)");
        assertThat(client.configMaps().inNamespace(ns).withName("shop-code").get().getMetadata().getLabels())
                .as("the named ConfigMap is labelled for the watch").containsEntry(ReferencedBundles.LABEL, "true");
        assertThat(client.configMaps().inNamespace(ns).withName("foreign-7").get().getMetadata().getLabels())
                .as("a foreign one is left as it was").isEqualTo(Map.of("team", "other"));

        for (String resource : List.of("configmaps", "deployments", "services", "poddisruptionbudgets", "horizontalpodautoscalers", "pods")) {
            var uris = API.listAndWatchUris(OperatorHarness.OPERATOR_NAMESPACE, OperatorHarness.OPERATOR_ACCOUNT, resource);
            assertThat(uris).as(resource + ": the operator lists and watches them").isNotEmpty()
                    .allSatisfy(uri -> assertThat(uri).as(resource).contains("labelSelector="));
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
