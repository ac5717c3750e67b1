package dev.corral.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.corral.helm.RenderedChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chart lints strictly and renders what a user expects, for default and non-default values. */
class ChartTemplateTest {

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void defaultsInstallAClusterWideOperatorWithLeaderElectionAndAHardenedPod() {
        RenderedChart chart = RenderedChart.render();
        String version = chartVersion();

        assertThat(chart.find(ServiceAccount.class, NAMESPACE, "corral")).isPresent();
        assertThat(chart.find(ClusterRole.class, null, "corral")).isPresent();
        assertThat(chart.find(Role.class, NAMESPACE, "corral-leader-election")).isPresent();
        Service metrics = chart.get(Service.class, NAMESPACE, "corral-metrics");
        assertThat(metrics.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8081));

        Deployment deployment = chart.get(Deployment.class, NAMESPACE, "corral");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("corral");
        Container operator = container(deployment, "operator");
        assertThat(operator.getImage()).isEqualTo("ghcr.io/corral-dev/corral-operator:" + version);
        assertThat(env(operator, "CORRAL_SERVER_IMAGE")).isEqualTo("ghcr.io/corral-dev/corral-server:" + version);
        assertThat(env(operator, "CORRAL_WATCH_NAMESPACES")).isEmpty();
        assertThat(env(operator, "CORRAL_LEADER_ELECTION_NAMESPACE")).isEqualTo(NAMESPACE);
        assertThat(env(operator, "CORRAL_HTTP_PORT")).isEqualTo("8081");
        assertThat(env(operator, "JAVA_TOOL_OPTIONS")).isEqualTo("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");

        var pod = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
        assertThat(pod.getRunAsNonRoot()).isTrue();
        assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        var security = operator.getSecurityContext();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(operator.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(operator.getResources().getLimits()).containsKey("memory");

        assertThat(chart.findKind("ServiceMonitor", "corral")).isEmpty();
        assertThat(chart.findKind("PodMonitor", "corral-webapps")).isEmpty();
        assertThat(chart.find(ConfigMap.class, NAMESPACE, "corral-dashboard")).isEmpty();
    }

    @Test
    void aNamespacedInstallWithMonitoringAndTwoReplicas() {
        RenderedChart chart = RenderedChart.render("""
                watchNamespaces: [shop, blog]
                replicaCount: 2
                image: {tag: 9.9.9}
                serverImage: {repository: registry.example/corral-server}
                metrics:
                  serviceMonitor: {enabled: true, labels: {release: prom}}
                dashboard: {enabled: true}
                logLevel: debug
                """);

        Deployment deployment = chart.get(Deployment.class, NAMESPACE, "corral");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        Container operator = container(deployment, "operator");
        assertThat(operator.getImage()).isEqualTo("ghcr.io/corral-dev/corral-operator:9.9.9");
        assertThat(env(operator, "CORRAL_SERVER_IMAGE")).isEqualTo("registry.example/corral-server:" + chartVersion());
        assertThat(env(operator, "CORRAL_WATCH_NAMESPACES")).isEqualTo("shop,blog");
        assertThat(env(operator, "CORRAL_LEADER_ELECTION_NAMESPACE")).isEqualTo(NAMESPACE);
        assertThat(env(operator, "JAVA_TOOL_OPTIONS")).contains("defaultLogLevel=debug");

        assertThat(chart.all(ClusterRole.class)).as("no cluster-wide rights in a namespaced install").isEmpty();
        assertThat(chart.find(Role.class, "shop", "corral")).isPresent();
        assertThat(chart.find(Role.class, "blog", "corral")).isPresent();

        var serviceMonitor = chart.findKind("ServiceMonitor", "corral").orElseThrow();
        assertThat(serviceMonitor.getMetadata().getLabels()).containsEntry("release", "prom");
        var podMonitor = chart.findKind("PodMonitor", "corral-webapps").orElseThrow();
        assertThat(chart.yaml()).contains("matchNames:\n      - shop\n      - blog");
        assertThat(podMonitor.getMetadata().getNamespace()).isEqualTo(NAMESPACE);

        ConfigMap dashboard = chart.get(ConfigMap.class, NAMESPACE, "corral-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData()).containsKey("corral.json");
    }

    @Test
    void theDashboardParsesAndQueriesOnlyMetricsCorralExports() throws IOException {
        RenderedChart chart = RenderedChart.render("dashboard: {enabled: true}");
        JsonNode dashboard = new ObjectMapper().readTree(chart.get(ConfigMap.class, NAMESPACE, "corral-dashboard").getData().get("corral.json"));
        Set<String> titles = new HashSet<>();
        dashboard.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        assertThat(titles).anyMatch(t -> t.contains("Requests")).anyMatch(t -> t.contains("Latency"))
                .anyMatch(t -> t.contains("Budget")).anyMatch(t -> t.contains("OOM")).anyMatch(t -> t.contains("Quota"));

        Set<String> exported = exportedMetrics();
        Matcher metric = Pattern.compile("\\b(corral_[a-z_]+)").matcher(dashboard.toString());
        Set<String> queried = new HashSet<>();
        while (metric.find()) {
            queried.add(metric.group(1).replaceAll("_(bucket|count|sum)$", ""));
        }
        assertThat(queried).isNotEmpty();
        assertThat(exported).containsAll(queried);
    }

    @Test
    void theNetworkPolicyOpensTheAdminPortToScrapersOnlyInEachWatchedNamespace() {
        assertThat(RenderedChart.render().all(NetworkPolicy.class)).as("off by default").isEmpty();
        RenderedChart chart = RenderedChart.render("""
                watchNamespaces: [shop, blog]
                networkPolicy:
                  enabled: true
                  metricsFrom: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
                """);
        assertThat(chart.all(NetworkPolicy.class)).hasSize(2);
        for (String namespace : new String[]{"shop", "blog"}) {
            NetworkPolicy policy = chart.get(NetworkPolicy.class, namespace, "corral-webapps");
            assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/name", "corral-server").containsEntry("app.kubernetes.io/managed-by", "corral-operator");
            assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
            var rules = policy.getSpec().getIngress();
            assertThat(rules).hasSize(2);
            assertThat(rules.get(0).getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http"));
            assertThat(rules.get(0).getFrom()).as("HTTP from any source when httpFrom is empty").isNullOrEmpty();
            assertThat(rules.get(1).getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("admin"));
            assertThat(rules.get(1).getFrom()).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsEntry("kubernetes.io/metadata.name", "monitoring"));
        }
        NetworkPolicy narrowed = RenderedChart.render("""
                watchNamespaces: [shop]
                networkPolicy:
                  enabled: true
                  metricsFrom: [{podSelector: {matchLabels: {app: prometheus}}}]
                  httpFrom: [{namespaceSelector: {matchLabels: {ingress: "true"}}}]
                """).get(NetworkPolicy.class, "shop", "corral-webapps");
        assertThat(narrowed.getSpec().getIngress().get(0).getFrom()).singleElement()
                .satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels()).containsEntry("ingress", "true"));

        assertThatThrownBy(() -> RenderedChart.render("{networkPolicy: {enabled: true, metricsFrom: [{podSelector: {}}]}}"))
                .hasMessageContaining("networkPolicy.enabled needs watchNamespaces");
        assertThatThrownBy(() -> RenderedChart.render("{watchNamespaces: [shop], networkPolicy: {enabled: true}}"))
                .hasMessageContaining("networkPolicy.metricsFrom must list who may scrape");
    }

    @Test
    void theChartRefusesClustersOlderThanTheCrdNeedsAndTheDocsSayTheSameMinimum() throws IOException {
        // The CRD's CEL rules call quantity(), which Kubernetes has from 1.29 on: an older API server refuses the CRD.
        assertThat(Files.readString(RenderedChart.CHART.resolve("crds").resolve("webapps.corral.dev-v1.yml"))).contains("quantity(");
        assertThat(Files.readString(RenderedChart.CHART.resolve("Chart.yaml"))).contains("kubeVersion: \">=1.29.0-0\"");
        assertThat(Files.readString(Path.of("../docs/install.md"))).contains("Kubernetes\n1.29 or newer");
        assertThatThrownBy(() -> new Helm(RenderedChart.CHART).template().withName("corral").withKubeVersion("1.28.15").call())
                .hasMessageContaining("kubeVersion");
        assertThat(new Helm(RenderedChart.CHART).template().withName("corral").withKubeVersion("1.29.0").call()).contains("kind: Deployment");
    }

    @Test
    void badValuesFailWithAMessageNotAHalfInstall() {
        assertThatThrownBy(() -> RenderedChart.render("{replicaCount: 2, leaderElection: {enabled: false}}"))
                .hasMessageContaining("needs leaderElection.enabled=true");
        assertThatThrownBy(() -> RenderedChart.render("replicas: 2"))
                .hasMessageContaining("replicas");
        assertThatThrownBy(() -> RenderedChart.render("watchNamespaces: [Not_A_Namespace]"))
                .hasMessageContaining("watchNamespaces");
        assertThatThrownBy(() -> RenderedChart.render("logLevel: loud"))
                .hasMessageContaining("logLevel");
    }

    static Container container(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }

    static String chartVersion() {
        try {
            return Files.readAllLines(RenderedChart.CHART.resolve("Chart.yaml")).stream()
                    .filter(l -> l.startsWith("appVersion:")).map(l -> l.replaceAll("appVersion:\\s*\"?([^\"]+)\"?", "$1").trim())
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The metric names docs/operations.md lists; e2e's OperationsDocTest keeps that list equal to what the
     * server and the operator register.
     */
    static Set<String> exportedMetrics() throws IOException {
        Set<String> names = new HashSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `(corral_[a-z_]+)` \\|").matcher(Files.readString(Path.of("../docs/operations.md")));
        while (row.find()) {
            names.add(row.group(1));
        }
        return names;
    }
}
