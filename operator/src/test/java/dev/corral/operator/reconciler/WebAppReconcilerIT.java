package dev.corral.operator.reconciler;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.dependent.BundleHash;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.corral.operator.testing.RealApiServer;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real Operator, on JOSDK's defaults, against fabric8's mock API server in CRUD mode on 127.0.0.1. */
class WebAppReconcilerIT {
    @RegisterExtension
    static final RealApiServer API = new RealApiServer();
    private String ns;
    private OperatorHarness harness;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        harness = new OperatorHarness(API);
        ns = harness.namespace();
        client = harness.client();
    }

    @AfterEach
    void stop() {
        harness.close();
        ApiCallLog.testFinished(WebAppReconcilerIT.class);
    }

    @AfterAll
    static void everyCallIsAllowedAndEveryPermissionIsUsed() {
        ApiCallLog.check(API);
    }

    private WebApp create(String yaml) {
        return client.resource(Serialization.unmarshal(yaml, WebApp.class)).inNamespace(ns).create();
    }

    /** A user's edit: a merge patch, without the optimistic lock that would race the operator's status patches. */
    private void patchSpec(String mergePatch) {
        patchSpec("hello", mergePatch);
    }

    private void patchSpec(String webApp, String mergePatch) {
        client.resources(WebApp.class).inNamespace(ns).withName(webApp)
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), mergePatch);
    }

    /** The mock runs no controllers: report the Deployment's current generation as rolled out and ready. */
    private void playDeploymentController() {
        playDeploymentControllerOf("hello");
    }

    private void playDeploymentControllerOf(String name) {
        Deployment deployment = client.apps().deployments().inNamespace(ns).withName(name).get();
        if (deployment.getStatus() != null && deployment.getMetadata().getGeneration().equals(deployment.getStatus().getObservedGeneration())) {
            return;
        }
        int replicas = deployment.getSpec().getReplicas();
        deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas).build());
        client.resource(deployment).updateStatus();
    }

    private static final String HELLO = """
            apiVersion: corral.dev/v1alpha1
            kind: WebApp
            metadata: {name: hello}
            spec:
              replicas: 2
              resources: {cpu: 500m, memory: 768Mi}
              bundle:
                inline:
                  app.py: "application = None"
            """;

    @Test
    void aWebAppGetsItsConfigMapDeploymentServiceAndPdbAndAStatus() {
        create(HELLO);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Deployment deployment = client.apps().deployments().inNamespace(ns).withName("hello").get();
            assertThat(deployment).isNotNull();
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
            assertThat(deployment.getMetadata().getOwnerReferences()).anyMatch(o -> o.getKind().equals("WebApp") && o.getName().equals("hello"));
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry(BundleHash.ANNOTATION, BundleHash.ofFiles(Map.of("app.py", "application = None")));
            ConfigMap bundle = client.configMaps().inNamespace(ns).withName("hello-bundle").get();
            assertThat(bundle.getData()).containsValue("application = None");
            Service service = client.services().inNamespace(ns).withName("hello").get();
            assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(80);
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("hello").get()).isNotNull();
            // Deleting the WebApp deletes these through Kubernetes garbage collection, which follows owner references.
            for (io.fabric8.kubernetes.api.model.HasMetadata owned : java.util.List.of(deployment, bundle, service,
                    client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("hello").get())) {
                assertThat(owned.getMetadata().getOwnerReferences()).as(owned.getKind())
                        .anyMatch(o -> o.getKind().equals("WebApp") && o.getName().equals("hello") && o.getUid() != null);
            }
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            WebApp webApp = client.resources(WebApp.class).inNamespace(ns).withName("hello").get();
            assertThat(webApp.getStatus()).isNotNull();
            assertThat(webApp.getStatus().getSelector()).isEqualTo("app.kubernetes.io/name=corral-server,app.kubernetes.io/instance=hello");
            assertThat(webApp.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("False"));
        });
    }

    @Test
    void declaredEgressBecomesTheServersSettingAndTheNetworkPolicyAndAnUndeclaredOneClosesIt() {
        create(HELLO);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var policy = client.network().v1().networkPolicies().inNamespace(ns).withName("hello-egress").get();
            assertThat(policy).as("every WebApp's egress NetworkPolicy").isNotNull();
            assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Egress");
            assertThat(policy.getSpec().getEgress()).as("nothing without spec.egress").isEmpty();
            assertThat(policy.getMetadata().getOwnerReferences()).anyMatch(o -> o.getKind().equals("WebApp") && o.getName().equals("hello"));
        });
        patchSpec("{\"spec\": {\"egress\": [{\"host\": \"postgres.db.svc.cluster.local\", \"port\": 5432},"
                + " {\"cidr\": \"10.20.0.0/16\", \"port\": 6379, \"endPort\": 6380}]}}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var policy = client.network().v1().networkPolicies().inNamespace(ns).withName("hello-egress").get();
            assertThat(policy.getSpec().getEgress()).hasSize(3);
            assertThat(policy.getSpec().getEgress().get(2).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.20.0.0/16");
            Deployment deployment = client.apps().deployments().inNamespace(ns).withName("hello").get();
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .anyMatch(e -> e.getName().equals("CORRAL_EGRESS") && "postgres.db.svc.cluster.local:5432,10.20.0.0/16:6379-6380".equals(e.getValue()));
        });
        patchSpec("{\"spec\": {\"egress\": null}}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.network().v1().networkPolicies().inNamespace(ns).withName("hello-egress").get().getSpec().getEgress()).isEmpty();
            assertThat(client.apps().deployments().inNamespace(ns).withName("hello").get().getSpec().getTemplate().getSpec().getContainers()
                    .get(0).getEnv()).noneMatch(e -> e.getName().equals("CORRAL_EGRESS"));
        });
    }

    @Test
    void aBundleChangeRollsThePodsAndAReadyDeploymentMakesTheWebAppReady() {
        create(HELLO);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments().inNamespace(ns).withName("hello").get() != null);
        String before = client.apps().deployments().inNamespace(ns).withName("hello").get()
                .getSpec().getTemplate().getMetadata().getAnnotations().get(BundleHash.ANNOTATION);

        patchSpec("{\"spec\":{\"bundle\":{\"inline\":{\"app.py\":\"application = 2\"}}}}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.apps().deployments().inNamespace(ns).withName("hello").get()
                .getSpec().getTemplate().getMetadata().getAnnotations().get(BundleHash.ANNOTATION)).isNotEqualTo(before));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            playDeploymentController();
            WebApp webApp = client.resources(WebApp.class).inNamespace(ns).withName("hello").get();
            assertThat(webApp.getStatus()).isNotNull();
            assertThat(webApp.getStatus().getReadyReplicas()).isEqualTo(2);
            assertThat(webApp.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            assertThat(webApp.getStatus().getConditions()).extracting(c -> c.getType()).containsExactly("Ready", "Progressing", "Degraded");
        });
        Deployment rolled = client.apps().deployments().inNamespace(ns).withName("hello").get();
        assertThat(rolled.getSpec().getTemplate().getSpec().getContainers()).as("apply replaced the list, not appended").hasSize(1);
    }

    @Test
    void anOomKilledPodIsCountedReportedAsAWarningEventAndOthersAreUntouched() {
        create(HELLO);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments().inNamespace(ns).withName("hello").get() != null);
        Map<String, String> labels = Map.of("app.kubernetes.io/name", "corral-server", "app.kubernetes.io/instance", "hello",
                "app.kubernetes.io/managed-by", "corral-operator");
        String killedAt = Instant.now().minusSeconds(5).toString();
        createPod(new PodBuilder().withNewMetadata().withName("hello-abc").withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("server").withImage("corral").endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName("server").withRestartCount(1)
                .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).withFinishedAt(killedAt)
                .endTerminated().endLastState().endContainerStatus().endStatus().build());
        createPod(new PodBuilder().withNewMetadata().withName("hello-def").withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("server").withImage("corral").endContainer().endSpec().build());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            WebApp webApp = client.resources(WebApp.class).inNamespace(ns).withName("hello").get();
            assertThat(webApp.getStatus()).isNotNull();
            assertThat(webApp.getStatus().getOomKills()).isEqualTo(1);
            assertThat(webApp.getStatus().getLastOOMKill().getPod()).isEqualTo("hello-abc");
            assertThat(client.v1().events().inNamespace(ns).list().getItems())
                    .filteredOn(e -> "OOMKilled".equals(e.getReason()))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.getType()).isEqualTo("Warning");
                        assertThat(e.getInvolvedObject().getName()).isEqualTo("hello");
                        assertThat(e.getMessage()).contains("pod hello-abc");
                    });
        });
        assertThat(client.pods().inNamespace(ns).withName("hello-def").get()).as("other pods untouched").isNotNull();
        // A later reconcile does not count the same kill again.
        patchSpec("{\"spec\":{\"replicas\":3}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments().inNamespace(ns).withName("hello").get().getSpec().getReplicas() == 3);
        assertThat(client.resources(WebApp.class).inNamespace(ns).withName("hello").get().getStatus().getOomKills()).isEqualTo(1);
        assertThat(client.v1().events().inNamespace(ns).list().getItems()).filteredOn(e -> "OOMKilled".equals(e.getReason())).hasSize(1);
    }

    @Test
    void twoPodsKilledInTheSameSecondAreTwoKills() {
        create(HELLO);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments().inNamespace(ns).withName("hello").get() != null);
        Map<String, String> labels = Map.of("app.kubernetes.io/name", "corral-server", "app.kubernetes.io/instance", "hello",
                "app.kubernetes.io/managed-by", "corral-operator");
        // The API server keeps seconds: the kernel killing both pods within one second gives them one finishedAt.
        String sameSecond = Instant.now().minusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        for (String name : new String[] {"hello-one", "hello-two"}) {
            createPod(new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                    .withNewSpec().addNewContainer().withName("server").withImage("corral").endContainer().endSpec()
                    .withNewStatus().addNewContainerStatus().withName("server").withRestartCount(1)
                    .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).withFinishedAt(sameSecond)
                    .endTerminated().endLastState().endContainerStatus().endStatus().build());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            WebApp webApp = client.resources(WebApp.class).inNamespace(ns).withName("hello").get();
            assertThat(webApp.getStatus().getOomKills()).isEqualTo(2);
            assertThat(webApp.getStatus().getCountedOOMKills()).containsExactlyInAnyOrder("hello-one/server#1", "hello-two/server#1");
            assertThat(client.v1().events().inNamespace(ns).list().getItems()).filteredOn(e -> "OOMKilled".equals(e.getReason()))
                    .extracting(Event::getMessage).anyMatch(m -> m.contains("pod hello-one")).anyMatch(m -> m.contains("pod hello-two"));
        });
        // The same pod killed again a second later: its restart count tells the new kill from the old.
        Pod one = client.pods().inNamespace(ns).withName("hello-one").get();
        one.getStatus().getContainerStatuses().get(0).setRestartCount(2);
        client.pods().inNamespace(ns).resource(one).updateStatus();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(client.resources(WebApp.class).inNamespace(ns).withName("hello").get().getStatus().getOomKills()).isEqualTo(3));
    }

    @Test
    void anInvalidSpecIsReportedLeavesThePodsAloneAndRecoversWhenFixed() {
        create(HELLO);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments().inNamespace(ns).withName("hello").get() != null);
        String hash = client.apps().deployments().inNamespace(ns).withName("hello").get()
                .getSpec().getTemplate().getMetadata().getAnnotations().get(BundleHash.ANNOTATION);

        // A bundle file leaving the bundle: the schema lets the name through, the operator must not.
        patchSpec("{\"spec\":{\"bundle\":{\"inline\":{\"../escape.py\":\"x = 1\"}}}}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            WebApp webApp = client.resources(WebApp.class).inNamespace(ns).withName("hello").get();
            assertThat(webApp.getStatus()).isNotNull();
            assertThat(webApp.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getReason()).isEqualTo("InvalidSpec");
                assertThat(c.getMessage()).contains("spec.bundle.inline path '../escape.py' must be relative and stay inside the bundle");
            });
            assertThat(client.v1().events().inNamespace(ns).list().getItems()).anyMatch(e -> "InvalidSpec".equals(e.getReason())
                    && e.getInvolvedObject().getName().equals("hello") && "Warning".equals(e.getType()));
        });
        assertThat(client.apps().deployments().inNamespace(ns).withName("hello").get()
                .getSpec().getTemplate().getMetadata().getAnnotations().get(BundleHash.ANNOTATION))
                .as("the running pods are left as they were").isEqualTo(hash);

        patchSpec("{\"spec\":{\"bundle\":{\"inline\":{\"../escape.py\":null}}}}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            playDeploymentController();
            WebApp webApp = client.resources(WebApp.class).inNamespace(ns).withName("hello").get();
            assertThat(webApp.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        });
    }

    @Test
    void aSpecWhoseDeploymentTheApiServerRefusesIsReportedWithTheServersMessage() {
        // The CRD takes an env item without a name; the API server will not take the Deployment made from it.
        create("""
                apiVersion: corral.dev/v1alpha1
                kind: WebApp
                metadata: {name: hello}
                spec:
                  replicas: 1
                  resources: {cpu: 500m, memory: 768Mi}
                  env:
                  - value: "no name"
                  bundle:
                    inline:
                      app.py: "application = None"
                """);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            WebApp webApp = client.resources(WebApp.class).inNamespace(ns).withName("hello").get();
            assertThat(webApp.getStatus()).isNotNull();
            assertThat(webApp.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("RefusedByApiServer");
                assertThat(c.getMessage()).containsPattern("Deployment.apps \"hello\" is invalid: spec.template.spec.containers\\[0\\].env\\[\\d+\\].name: Required value");
            });
            assertThat(client.v1().events().inNamespace(ns).list().getItems()).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("RefusedByApiServer");
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).contains("Required value");
            });
        });
        // Fixed by the user: the next reconcile makes the Deployment.
        patchSpec("{\"spec\":{\"env\":[{\"name\":\"GREETING\",\"value\":\"hi\"}]}}");
        await().atMost(Duration.ofSeconds(60)).until(() -> client.apps().deployments().inNamespace(ns).withName("hello").get() != null);
    }

    @Test
    void twoBundleSourcesAreRefusedByTheApiServerItself() {
        create(HELLO);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> patchSpec("{\"spec\":{\"bundle\":{\"configMapRef\":{\"name\":\"other\"}}}}"))
                .isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("set exactly one of bundle.inline, bundle.configMapRef and bundle.image");
                });
    }

    @Test
    void dependentsDeletedOrEditedByHandAreRestored() {
        create(HELLO);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.services().inNamespace(ns).withName("hello").get() != null);
        client.services().inNamespace(ns).withName("hello").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.services().inNamespace(ns).withName("hello").get() != null);

        client.apps().deployments().inNamespace(ns).withName("hello")
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"spec\":{\"replicas\":7}}");
        // Any event for the WebApp (here: a label) brings a reconcile, which puts the spec's value back.
        client.resources(WebApp.class).inNamespace(ns).withName("hello")
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments().inNamespace(ns).withName("hello").get()
                .getSpec().getReplicas() == 2);
    }

    @Test
    void scalingToOnePodRemovesThePdbAndBackToTwoRestoresIt() {
        create(HELLO);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("hello").get() != null);
        patchSpec("{\"spec\":{\"replicas\":1}}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(ns).withName("hello").get().getSpec().getReplicas()).isEqualTo(1);
            // With one pod a PDB would block every node drain: it goes.
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("hello").get()).isNull();
        });
        patchSpec("{\"spec\":{\"replicas\":2}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("hello").get() != null);
    }

    @Test
    void movingTheBundleToAConfigMapRefDeletesTheInlineConfigMapAndHashesTheReferencedOne() {
        create(HELLO);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.configMaps().inNamespace(ns).withName("hello-bundle").get() != null);
        client.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("shop-code").endMetadata().addToData("app.py", "application = 'shared'").build()).create();

        patchSpec("{\"spec\":{\"bundle\":{\"inline\":null,\"configMapRef\":{\"name\":\"shop-code\"}}}}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(ns).withName("hello").get()
                    .getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry(BundleHash.ANNOTATION, BundleHash.ofFiles(Map.of("app.py", "application = 'shared'")));
            assertThat(client.configMaps().inNamespace(ns).withName("hello-bundle").get()).isNull();
        });
    }

    @Test
    void aReferencedConfigMapNamedLikeTheInlineOneIsTheUsersAndStays() {
        // WebApp notes names its own ConfigMap notes-bundle: the name the operator gives an inline bundle's.
        client.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("notes-bundle").endMetadata().addToData("app.py", "application = 'notes'").build()).create();
        create(SHOP.formatted("notes").replace("shop-code", "notes-bundle"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var deployment = client.apps().deployments().inNamespace(ns).withName("notes").get();
            assertThat(deployment).isNotNull();
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry(BundleHash.ANNOTATION, BundleHash.ofFiles(Map.of("app.py", "application = 'notes'")));
            assertThat(client.configMaps().inNamespace(ns).withName("notes-bundle").get().getMetadata().getLabels())
                    .containsEntry(dev.corral.operator.dependent.ReferencedBundles.LABEL, "true");
        });
        // Several reconciles later it is still there, as the user made it.
        patchSpec("notes", "{\"spec\":{\"replicas\":2}}");
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(client.apps().deployments().inNamespace(ns).withName("notes").get().getSpec().getReplicas()).isEqualTo(2));
        var kept = client.configMaps().inNamespace(ns).withName("notes-bundle").get();
        assertThat(kept).as("the user's ConfigMap").isNotNull();
        assertThat(kept.getData()).containsEntry("app.py", "application = 'notes'");
    }

    private static final String SHOP = """
            apiVersion: corral.dev/v1alpha1
            kind: WebApp
            metadata: {name: %s}
            spec:
              replicas: 1
              resources: {cpu: 500m, memory: 768Mi}
              bundle:
                configMapRef: {name: shop-code}
            """;

    private void putShopCode(String appPy) {
        client.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("shop-code").endMetadata().addToData("app.py", appPy).build()).createOr(c -> c.update());
    }

    private String bundleHashOf(String webApp) {
        Deployment deployment = client.apps().deployments().inNamespace(ns).withName(webApp).get();
        return deployment == null ? null : deployment.getSpec().getTemplate().getMetadata().getAnnotations().get(BundleHash.ANNOTATION);
    }

    private io.fabric8.kubernetes.api.model.Condition condition(String webApp, String type) {
        WebApp found = client.resources(WebApp.class).inNamespace(ns).withName(webApp).get();
        if (found.getStatus() == null || found.getStatus().getConditions() == null) {
            return null;
        }
        return found.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElse(null);
    }

    @Test
    void editingAReferencedConfigMapRollsThePodsOfEveryWebAppNamingItAndNoOther() {
        putShopCode("application = 1");
        create(SHOP.formatted("shop"));
        create(SHOP.formatted("shop-admin"));
        create(HELLO);
        String v1 = BundleHash.ofFiles(Map.of("app.py", "application = 1"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(bundleHashOf("shop")).isEqualTo(v1);
            assertThat(bundleHashOf("shop-admin")).isEqualTo(v1);
            assertThat(bundleHashOf("hello")).isNotNull();
        });
        String hello = bundleHashOf("hello");
        long helloGeneration = client.apps().deployments().inNamespace(ns).withName("hello").get().getMetadata().getGeneration();

        // Only the ConfigMap changes: no WebApp is touched, so only the watch can bring the change in.
        putShopCode("application = 2");
        String v2 = BundleHash.ofFiles(Map.of("app.py", "application = 2"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(bundleHashOf("shop")).isEqualTo(v2);
            assertThat(bundleHashOf("shop-admin")).isEqualTo(v2);
        });
        assertThat(bundleHashOf("hello")).isEqualTo(hello);
        assertThat(client.apps().deployments().inNamespace(ns).withName("hello").get().getMetadata().getGeneration())
                .as("the inline WebApp's Deployment was not rewritten").isEqualTo(helloGeneration);
    }

    @Test
    void aMissingConfigMapIsReportedAndCreatingItStartsThePods() {
        create(SHOP.formatted("shop"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(bundleHashOf("shop")).isEqualTo(BundleHash.MISSING);
            assertThat(condition("shop", "Ready")).isNotNull();
            assertThat(condition("shop", "Ready").getReason()).isEqualTo("BundleNotFound");
            assertThat(condition("shop", "Ready").getMessage()).contains("ConfigMap shop-code", "does not exist in namespace shop");
            assertThat(condition("shop", "Degraded").getStatus()).isEqualTo("True");
        });

        putShopCode("application = 1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(bundleHashOf("shop")).isEqualTo(BundleHash.ofFiles(Map.of("app.py", "application = 1")));
            assertThat(condition("shop", "Degraded").getStatus()).isEqualTo("False");
            assertThat(condition("shop", "Ready").getReason()).isEqualTo("ReplicasNotReady");
        });
    }

    @Test
    void deletingTheReferencedConfigMapLeavesThePodsOnTheBundleTheyHave() {
        putShopCode("application = 1");
        create(SHOP.formatted("shop"));
        String v1 = BundleHash.ofFiles(Map.of("app.py", "application = 1"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(bundleHashOf("shop")).isEqualTo(v1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            playDeploymentControllerOf("shop");
            assertThat(condition("shop", "Ready").getStatus()).isEqualTo("True");
        });

        client.configMaps().inNamespace(ns).withName("shop-code").delete();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(condition("shop", "Degraded").getReason()).isEqualTo("BundleNotFound");
            assertThat(condition("shop", "Degraded").getMessage()).contains("running pods keep the bundle they mounted");
        });
        assertThat(bundleHashOf("shop")).as("no roll to pods that could not mount their bundle").isEqualTo(v1);
        assertThat(condition("shop", "Ready").getStatus()).as("the running pods still serve").isEqualTo("True");
    }

    private void createPod(io.fabric8.kubernetes.api.model.Pod pod) {
        API.createPodWithStatus(ns, pod);
    }
}
