package dev.corral.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A real kube-apiserver and etcd, one per test JVM, started by fabric8's kube-api-test from the upstream
 * binaries that e2e/cluster/build-binaries.sh builds (CORRAL_KUBE_BIN names their directory; ./dev test
 * sets it). So the CRD's schema and CEL rules, server-side apply, field managers, admission and RBAC are
 * the API server's own, not an imitation. There are no controllers (no garbage collector, no
 * Deployment controller, no kubelet): tests that need those are e2e's *E2E on the local cluster.
 *
 * <p>The server writes an audit log of every request made by a ServiceAccount, so tests can read back
 * which calls the operator made, as the API server saw and authorized them.
 *
 * <p>Register with {@code @RegisterExtension static final RealApiServer API = new RealApiServer();}:
 * the first class to start it shares it with every later one, and JUnit stops it after the last.
 */
public final class RealApiServer implements BeforeAllCallback {
    /** The release the binaries are built at (e2e/cluster/kube/go.mod). */
    public static final String VERSION = "1.34.4";
    /** How long each of kube-api-test's two readiness waits (API server /readyz, then kubectl) may take. */
    static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, k -> new Running(), Running.class);
    }

    /** An admin client (system:masters). */
    public KubernetesClient admin() {
        return running.admin;
    }

    /** The admin's kubeconfig, for clients a test configures itself. */
    public String kubeconfig() {
        return running.api.getKubeConfigYaml();
    }

    /**
     * Installs the generated CRD as `kubectl apply --server-side -f crds/` would, and waits until the API
     * server serves it (Established). Idempotent.
     */
    public void installCrd() {
        try (java.io.FileInputStream crd = new java.io.FileInputStream("../crds/webapps.corral.dev-v1.yml")) {
            io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition definition = io.fabric8.kubernetes.client.utils.Serialization
                    .unmarshal(crd, io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);
            running.admin.resource(definition).forceConflicts().serverSideApply();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
                var now = running.admin.apiextensions().v1().customResourceDefinitions().withName(definition.getMetadata().getName()).get();
                return now.getStatus() != null && now.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates a pod as the kubelet would report it: the API server takes status only through the status
     * subresource, so the status is written after the create. No kubelet runs here to overwrite it.
     */
    public void createPodWithStatus(String namespace, io.fabric8.kubernetes.api.model.Pod pod) {
        io.fabric8.kubernetes.api.model.PodStatus status = pod.getStatus();
        io.fabric8.kubernetes.api.model.Pod created = running.admin.pods().inNamespace(namespace).resource(pod).create();
        if (status != null) {
            created.setStatus(status);
            running.admin.pods().inNamespace(namespace).resource(created).updateStatus();
        }
    }

    /** Creates a namespace with a fresh name: nothing deletes namespaces here (no controllers). */
    public String newNamespace(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        running.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    /**
     * A client that authenticates as a ServiceAccount with a real bound token (TokenRequest), and no client
     * certificate: RBAC decides everything it may do. The ServiceAccount is created if missing.
     */
    public KubernetesClient asServiceAccount(String namespace, String name, String userAgent) {
        KubernetesClient admin = running.admin;
        if (admin.serviceAccounts().inNamespace(namespace).withName(name).get() == null) {
            admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata().withName(name)
                    .endMetadata().build()).create();
        }
        String token = admin.serviceAccounts().inNamespace(namespace).withName(name)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(admin.getConfiguration().getMasterUrl())
                .withCaCertData(admin.getConfiguration().getCaCertData())
                .withCaCertFile(admin.getConfiguration().getCaCertFile())
                .withOauthToken(token)
                .withUserAgent(userAgent)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * Every call a ServiceAccount made so far, from the API server's audit log: API group, resource (with
     * "/subresource") and verb, as RBAC saw them; {@code allowed} false for those it refused. An apply
     * that created its object counts as a create too.
     */
    public Set<ApiCall> callsBy(String namespace, String serviceAccount, boolean allowed) {
        String user = "system:serviceaccount:" + namespace + ":" + serviceAccount;
        Set<ApiCall> calls = new HashSet<>();
        try {
            for (String line : Files.readAllLines(running.auditLog)) {
                JsonNode event = JSON.readTree(line);
                JsonNode ref = event.path("objectRef");
                if (!user.equals(event.path("user").path("username").asText()) || ref.isMissingNode()
                        || !"ResponseComplete".equals(event.path("stage").asText())) {
                    continue;
                }
                boolean refused = event.path("responseStatus").path("code").asInt() == 403;
                if (refused == allowed) {
                    continue;
                }
                String resource = ref.path("resource").asText();
                if (ref.hasNonNull("subresource")) {
                    resource += "/" + ref.path("subresource").asText();
                }
                ApiCall call = new ApiCall(ref.path("apiGroup").asText(""), resource, event.path("verb").asText());
                calls.add(call);
                // A server-side apply that creates its object is authorized for create as well as patch
                // (without create it is refused), while the audit log names only the patch: its 201 tells.
                if (call.verb().equals("patch") && event.path("responseStatus").path("code").asInt() == 201) {
                    calls.add(call.withVerb("create"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return calls;
    }

    /**
     * The request URIs of a ServiceAccount's list and watch calls on {@code resource}, from the audit log
     * (a watch is long-running: its ResponseStarted stage is logged while it lasts).
     */
    public Set<String> listAndWatchUris(String namespace, String serviceAccount, String resource) {
        String user = "system:serviceaccount:" + namespace + ":" + serviceAccount;
        Set<String> uris = new java.util.TreeSet<>();
        try {
            for (String line : Files.readAllLines(running.auditLog)) {
                JsonNode event = JSON.readTree(line);
                String verb = event.path("verb").asText();
                if (user.equals(event.path("user").path("username").asText()) && (verb.equals("list") || verb.equals("watch"))
                        && resource.equals(event.path("objectRef").path("resource").asText())) {
                    uris.add(event.path("requestURI").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uris;
    }

    /**
     * How long to wait at {@code now} so that the next {@code window} of local time does not cross midnight:
     * zero when it does not, else until one second into the new day.
     */
    static Duration midnightWait(LocalTime now, Duration window) {
        Duration untilMidnight = Duration.between(now, LocalTime.MAX).plusNanos(1);
        return untilMidnight.compareTo(window) > 0 ? Duration.ZERO : untilMidnight.plusSeconds(1);
    }

    /** The started server; closed by JUnit once the whole run is over. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {
        final KubeAPIServer api;
        final KubernetesClient admin;
        final Path auditLog;

        Running() {
            Path dir = Path.of("target", "kube-api-test").toAbsolutePath();
            Path versionDir = dir.resolve("k8s").resolve(VERSION + "-linux-amd64");
            auditLog = dir.resolve("audit.log");
            try {
                linkBinaries(versionDir);
                Path policy = dir.resolve("audit-policy.yaml");
                // Requests of ServiceAccounts only (the operator's), at the level that names resource and verb.
                Files.writeString(policy, """
                        apiVersion: audit.k8s.io/v1
                        kind: Policy
                        omitStages: [RequestReceived]
                        rules:
                        - level: Metadata
                          userGroups: ["system:serviceaccounts"]
                        - level: None
                        """);
                Files.deleteIfExists(auditLog);
                api = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                        .withTestDir(dir.toString()).withApiServerVersion(VERSION).withOfflineMode(true)
                        .withUpdateKubeConfig(false).withStartupTimeout((int) STARTUP_TIMEOUT.toMillis())
                        .withApiServerFlag("--audit-policy-file", policy.toString())
                        .withApiServerFlag("--audit-log-path", auditLog.toString())
                        .withApiServerFlag("--audit-log-format", "json")
                        .build());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            waitOutMidnight(LocalTime.now());
            api.start();
            admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(api.getKubeConfigYaml())).build();
        }

        /**
         * kube-api-test (7.5.2, and upstream's main as of 2026-08) times its readiness waits on
         * {@code LocalTime}: a deadline past midnight wraps to the early morning, so a start in the last
         * minutes of the day fails at once with "Kube API Server did not start properly". CI met exactly that
         * (the operator's ITs began at 23:57:50 UTC and all four failed within seconds). Until the library
         * times on a monotonic clock, a start whose two waits could reach midnight waits for the new day.
         */
        private static void waitOutMidnight(LocalTime now) {
            Duration wait = midnightWait(now, STARTUP_TIMEOUT.multipliedBy(2).plusSeconds(30));
            if (wait.isZero()) {
                return;
            }
            System.err.println("RealApiServer: kube-api-test's readiness deadline would wrap past midnight; starting in "
                    + wait.toSeconds() + " s");
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for midnight to pass", e);
            }
        }

        /** kube-api-test wants its binaries under k8s/VERSION-linux-amd64; ours are linked there. */
        private static void linkBinaries(Path versionDir) throws IOException {
            String bin = System.getenv("CORRAL_KUBE_BIN");
            if (bin == null || bin.isBlank() || !Files.isExecutable(Path.of(bin, "kube-apiserver"))) {
                throw new IllegalStateException("CORRAL_KUBE_BIN must name the directory of the upstream Kubernetes binaries "
                        + "(kube-apiserver, etcd, kubectl): run the tests with ./dev test, which builds them with "
                        + "e2e/cluster/build-binaries.sh, or export CORRAL_KUBE_BIN=$(e2e/cluster/build-binaries.sh | tail -1)");
            }
            Files.createDirectories(versionDir);
            for (String name : List.of("kube-apiserver", "etcd", "kubectl")) {
                Path link = versionDir.resolve(name);
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, Path.of(bin, name));
            }
        }

        @Override
        public void close() {
            admin.close();
            api.stop();
        }
    }
}
