package dev.corral.operator.dependent;

import dev.corral.operator.config.OperatorConfig;
import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.BundleSource;
import dev.corral.operator.customresource.spec.ConfigMapBundle;
import dev.corral.operator.customresource.spec.EgressRules;
import dev.corral.operator.customresource.spec.ImageBundle;
import dev.corral.operator.customresource.spec.Placement;
import dev.corral.operator.customresource.spec.RequestBudgetSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What the operator wants to exist for a WebApp, object by object. */
class DesiredStateTest {
    private static final OperatorConfig CONFIG = new OperatorConfig("corral/server:test", 5, 10, java.util.Set.of(), "", 0, 30);
    private final WebApp hello = TestWebApps.withInlineBundle("hello", Map.of("app.py", "application = None", "lib/pkg/__init__.py", ""));

    private static Container server(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(ServerDeployment.CONTAINER)).findFirst().orElseThrow();
    }

    private static Map<String, String> env(Container container) {
        // Variables from the downward API (valueFrom) have no value: shown as "valueFrom:" and their field path.
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName,
                e -> e.getValue() != null ? e.getValue() : "valueFrom:" + e.getValueFrom().getFieldRef().getFieldPath(), (a, b) -> b));
    }

    private static Volume volume(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theDeploymentSelectsItsPodsAndRollsOnBundleChanges() {
        Deployment deployment = deployment(hello, "abc123");
        assertThat(deployment.getMetadata().getName()).isEqualTo("hello");
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("app.kubernetes.io/name", "corral-server", "app.kubernetes.io/instance", "hello"));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/managed-by", "corral-operator");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(BundleHash.ANNOTATION, "abc123")
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "9090");
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    }

    @Test
    void theServerContainerIsHardenedProbedAndSizedByTheQuota() {
        hello.getSpec().getResources().setCpu(new Quantity("500m"));
        hello.getSpec().getResources().setMemory(new Quantity("768Mi"));
        Deployment deployment = deployment(hello, "h");
        Container server = server(deployment);
        assertThat(server.getImage()).isEqualTo("corral/server:test");
        assertThat(server.getResources().getLimits()).containsEntry("cpu", new Quantity("500m")).containsEntry("memory", new Quantity("768Mi"));
        assertThat(server.getResources().getRequests()).isEqualTo(server.getResources().getLimits());
        assertThat(server.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(server.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(server.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).as("no identity, no token").isFalse();
        assertThat(server.getStartupProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(server.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
        assertThat(server.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(server.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"))
                .anyMatch(m -> m.getMountPath().equals("/bundle") && m.getReadOnly());
        // Default 30 s request timeout + 5 s drain + 10 s grace.
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(45);
    }

    @Test
    void burstableQuotasRequestHalfTheLimits() {
        hello.getSpec().getResources().setGuaranteed(false);
        hello.getSpec().getResources().setCpu(new Quantity("2"));
        hello.getSpec().getResources().setMemory(new Quantity("1Gi"));
        Map<String, Quantity> requests = server(deployment(hello, "h")).getResources().getRequests();
        assertThat(Quantity.getAmountInBytes(requests.get("cpu"))).isEqualByComparingTo("1");
        assertThat(Quantity.getAmountInBytes(requests.get("memory"))).isEqualByComparingTo(Long.toString(512L << 20));
    }

    @Test
    void inPlaceQuotaChangesLeaveTheServerRunning() {
        assertThat(server(deployment(hello, "h")).getResizePolicy())
                .extracting(p -> p.getResourceName() + "=" + p.getRestartPolicy())
                .containsExactlyInAnyOrder("cpu=NotRequired", "memory=NotRequired");
    }

    @Test
    void declaredEgressReachesTheServerInItsOwnNotation() {
        hello.getSpec().setEgress(List.of(EgressRules.rule("postgres.db.svc.cluster.local", null, 5432, null),
                EgressRules.rule(null, "10.0.0.0/8", 443, 444), EgressRules.rule("fd00::1", null, 6379, 6379)));
        assertThat(env(server(deployment(hello, "h")))).containsEntry("CORRAL_EGRESS",
                "postgres.db.svc.cluster.local:5432,10.0.0.0/8:443-444,[fd00::1]:6379");
    }

    @Test
    void aPasswordFromASecretStaysAReferenceInTheDeployment() {
        EnvVar password = new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("DATABASE_URL").withNewValueFrom()
                .withNewSecretKeyRef().withName("notes-db").withKey("url").endSecretKeyRef().endValueFrom().build();
        hello.getSpec().setEnv(List.of(password, new EnvVar("CORRAL_ENV_PASS", "DATABASE_URL", null)));
        List<EnvVar> env = server(deployment(hello, "h")).getEnv();
        assertThat(env).contains(password);
        assertThat(env.stream().filter(e -> e.getName().equals("DATABASE_URL")).findFirst().orElseThrow().getValue()).isNull();
    }

    @Test
    void theSpecReachesTheServerAsItsSettings() {
        RequestBudgetSpec budget = new RequestBudgetSpec();
        budget.setTimeout("2m");
        budget.setCpu("off");
        budget.setMemory("512Mi");
        hello.getSpec().setRequestBudget(budget);
        hello.getSpec().setWorkers(4);
        hello.getSpec().setEntrypoint("web:app");
        hello.getSpec().setImage("registry.example/corral:1");
        hello.getSpec().setEnv(List.of(new EnvVar("FEATURE", "on", null)));
        Deployment deployment = deployment(hello, "h");
        Map<String, String> env = env(server(deployment));
        assertThat(env).containsEntry("CORRAL_BUNDLE", "/bundle")
                .containsEntry("CORRAL_REQUEST_TIMEOUT", "2m")
                .containsEntry("CORRAL_REQUEST_CPU", "0")
                .containsEntry("CORRAL_REQUEST_MEMORY", "512Mi")
                .containsEntry("CORRAL_WORKERS", "4")
                .containsEntry("CORRAL_ENTRYPOINT", "web:app")
                .containsEntry("CORRAL_DRAIN_DELAY", "5s")
                .containsEntry("CORRAL_DRAIN_TIMEOUT", "121s")
                .containsEntry("FEATURE", "on")
                .containsEntry("CORRAL_NODE_IP", "valueFrom:status.hostIP")
                .doesNotContainKey("CORRAL_EGRESS");
        assertThat(server(deployment).getImage()).isEqualTo("registry.example/corral:1");
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(120 + 5 + 10);
    }

    @Test
    void anInlineBundleIsMountedFromItsConfigMapWithPathsRestored() {
        ConfigMap configMap = BundleConfigMap.desired(hello);
        assertThat(configMap.getMetadata().getName()).isEqualTo("hello-bundle");
        assertThat(configMap.getData().keySet()).allMatch(key -> key.matches("[-._a-zA-Z0-9]+"));
        Volume volume = volume(deployment(hello, "h"), "bundle");
        assertThat(volume.getConfigMap().getName()).isEqualTo("hello-bundle");
        Map<String, String> pathByKey = volume.getConfigMap().getItems().stream().collect(Collectors.toMap(KeyToPath::getKey, KeyToPath::getPath));
        assertThat(pathByKey.values()).containsExactlyInAnyOrder("app.py", "lib/pkg/__init__.py");
        pathByKey.forEach((key, path) -> assertThat(configMap.getData()).containsKey(key));
        assertThat(configMap.getData().get(pathByKey.entrySet().stream().filter(e -> e.getValue().equals("app.py")).findFirst().orElseThrow().getKey()))
                .isEqualTo("application = None");
    }

    @Test
    void configMapAndImageBundlesAreMountedTheirOwnWay() {
        BundleSource fromConfigMap = new BundleSource();
        ConfigMapBundle ref = new ConfigMapBundle();
        ref.setName("team-code");
        fromConfigMap.setConfigMapRef(ref);
        assertThat(volume(deployment(TestWebApps.webApp("a", fromConfigMap), "h"), "bundle").getConfigMap().getName())
                .isEqualTo("team-code");

        BundleSource fromImage = new BundleSource();
        ImageBundle image = new ImageBundle();
        image.setReference("registry.example/shop-bundle:7");
        image.setPath("/srv/app");
        fromImage.setImage(image);
        Deployment deployment = deployment(TestWebApps.webApp("b", fromImage), "h");
        assertThat(volume(deployment, "bundle").getEmptyDir()).isNotNull();
        Container init = deployment.getSpec().getTemplate().getSpec().getInitContainers().get(0);
        assertThat(init.getImage()).isEqualTo("registry.example/shop-bundle:7");
        assertThat(init.getCommand()).contains("/srv/app");
        assertThat(init.getVolumeMounts().get(0).getMountPath()).isEqualTo("/bundle");
    }

    @Test
    void placementIsCopiedOntoThePods() {
        Placement placement = new Placement();
        placement.setNodeSelector(Map.of("pool", "web"));
        placement.setServiceAccountName("shop-web");
        hello.getSpec().setPlacement(placement);
        PodSpec pod = deployment(hello, "h").getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).containsEntry("pool", "web");
        assertThat(pod.getServiceAccountName()).isEqualTo("shop-web");
        assertThat(pod.getAutomountServiceAccountToken()).as("a named identity gets its token").isNull();
    }

    @Test
    void theServiceForwardsItsPortToTheServers() {
        Service service = ServerService.desired(hello);
        assertThat(service.getSpec().getSelector()).isEqualTo(WebAppLabels.selector(hello));
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(80);
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
        assertThat(ServerService.url(hello)).isEqualTo("http://hello.shop.svc/");
        hello.getSpec().getService().setPort(8080);
        assertThat(ServerService.url(hello)).isEqualTo("http://hello.shop.svc:8080/");
        assertThat(WebAppLabels.selectorString(hello)).isEqualTo("app.kubernetes.io/name=corral-server,app.kubernetes.io/instance=hello");
    }

    @Test
    void onlyMultiPodWebAppsGetADisruptionBudget() {
        assertThat(ServerDisruptionBudget.wanted(hello)).isFalse();
        hello.getSpec().setReplicas(3);
        assertThat(ServerDisruptionBudget.wanted(hello)).isTrue();
        PodDisruptionBudget pdb = ServerDisruptionBudget.desired(hello);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(WebAppLabels.selector(hello));
    }

    @Test
    void theBundleHashFollowsContentNotOrder() {
        String a = BundleHash.ofFiles(Map.of("app.py", "x = 1", "b.py", "y"));
        assertThat(BundleHash.ofFiles(new java.util.TreeMap<>(Map.of("b.py", "y", "app.py", "x = 1")))).isEqualTo(a);
        assertThat(BundleHash.ofFiles(Map.of("app.py", "x = 2", "b.py", "y"))).isNotEqualTo(a);
        assertThat(BundleHash.ofFiles(Map.of("ab", "c"))).isNotEqualTo(BundleHash.ofFiles(Map.of("a", "bc")));
        assertThat(a).hasSize(16);
        assertThat(BundleHash.ofText("img:1")).isNotEqualTo(BundleHash.ofText("img:2"));
    }

    /** The Deployment built with the spec's own quota, as for a WebApp without vertical autoscaling. */
    private static Deployment deployment(dev.corral.operator.customresource.WebApp webApp, String bundleHash) {
        return ServerDeployment.desired(webApp, new DesiredState(CONFIG, bundleHash, webApp.getSpec().getResources()));
    }
}
