package dev.corral.operator.customresource;

import dev.corral.operator.customresource.spec.WebAppSpec;
import dev.corral.operator.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The WebApp CRD on a real API server: `kubectl apply -f crds/` installs it, a WebApp round-trips with
 * the schema's defaults applied by the server, and every invalid WebApp is refused by the server itself
 * (OpenAPI schema and CEL rules) with the message a user would read.
 */
class WebAppIT {
    @RegisterExtension
    static final RealApiServer API = new RealApiServer();
    private static KubernetesClient client;

    @BeforeAll
    static void installCrd() {
        API.installCrd();
        client = API.admin();
    }

    @Test
    void modelCoordinatesAreThoseOfTheCrd() {
        assertThat(HasMetadata.getGroup(WebApp.class)).isEqualTo("corral.dev");
        assertThat(HasMetadata.getVersion(WebApp.class)).isEqualTo("v1alpha1");
        assertThat(HasMetadata.getPlural(WebApp.class)).isEqualTo("webapps");
        assertThat(HasMetadata.getKind(WebApp.class)).isEqualTo("WebApp");
    }

    @Test
    void aWebAppYamlRoundTripsWithTheServersDefaults() {
        String ns = API.newNamespace("roundtrip");
        WebApp parsed = Serialization.unmarshal("""
                apiVersion: corral.dev/v1alpha1
                kind: WebApp
                metadata:
                  name: hello
                spec:
                  replicas: 3
                  image: corral/server:dev
                  resources: {cpu: 500m, memory: 768Mi}
                  bundle:
                    inline:
                      app.py: "application = None"
                """, WebApp.class);
        client.resource(parsed).inNamespace(ns).create();

        WebApp stored = client.resources(WebApp.class).inNamespace(ns).withName("hello").get();
        assertThat(stored.getSpec().getReplicas()).isEqualTo(3);
        assertThat(stored.getSpec().getImage()).isEqualTo("corral/server:dev");
        assertThat(stored.getSpec().getResources().getCpu()).isEqualTo(new Quantity("500m"));
        assertThat(stored.getSpec().getResources().getMemory()).isEqualTo(new Quantity("768Mi"));
        assertThat(stored.getSpec().getResources().getGuaranteed()).isTrue();
        assertThat(stored.getSpec().getBundle().getInline()).containsEntry("app.py", "application = None");
        assertThat(stored.getSpec().getService().getPort()).isEqualTo(80);

        stored.getSpec().setReplicas(5);
        client.resource(stored).update();
        assertThat(client.resources(WebApp.class).inNamespace(ns).withName("hello").get().getSpec().getReplicas()).isEqualTo(5);
    }

    @Test
    void theLargestInlineBundleFitsServerSideApplyAndNotClientSideApply() {
        String ns = API.newNamespace("inline");
        WebApp app = Serialization.unmarshal("""
                apiVersion: corral.dev/v1alpha1
                kind: WebApp
                metadata: {name: big}
                spec:
                  resources: {cpu: 500m, memory: 768Mi}
                  bundle:
                    inline:
                      app.py: "application = None"
                """, WebApp.class);
        // Just under the operator's limit (SpecValidation: 900 KiB of paths and contents).
        String data = "x".repeat(900 * 1024 - 64);
        app.getSpec().getBundle().getInline().put("data.txt", data);

        // What client-side `kubectl apply` sends on create: the object with a copy of itself in an annotation.
        WebApp clientSide = Serialization.clone(app);
        clientSide.getMetadata().setAnnotations(java.util.Map.of("kubectl.kubernetes.io/last-applied-configuration",
                Serialization.asJson(app)));
        assertThatThrownBy(() -> client.resource(clientSide).inNamespace(ns).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("metadata.annotations: Too long").contains("262144");
                });

        // `kubectl apply --server-side`, as docs/operator.md says: no annotation, the whole bundle is stored.
        client.resource(app).inNamespace(ns).fieldManager("kubectl").forceConflicts().serverSideApply();
        WebApp stored = client.resources(WebApp.class).inNamespace(ns).withName("big").get();
        assertThat(stored.getSpec().getBundle().getInline().get("data.txt")).hasSize(data.length());
        assertThat(java.util.Objects.requireNonNullElse(stored.getMetadata().getAnnotations(), java.util.Map.<String, String>of()))
                .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");
    }

    @Test
    void everyExampleIsAcceptedByTheApiServer() throws IOException {
        String ns = API.newNamespace("examples");
        try (var files = Files.walk(Path.of("../examples"))) {
            for (Path example : files.filter(p -> p.getFileName().toString().equals("webapp.yaml")).toList()) {
                WebApp webApp = Serialization.unmarshal(Files.readString(example), WebApp.class);
                assertThat(client.resource(webApp).inNamespace(ns).create()).as(example.toString()).isNotNull();
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "negative-replicas.yaml | spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0",
            "no-bundle.yaml | spec.bundle: Required value",
            "service-type.yaml | spec.service.type in body should match",
            "budget-syntax.yaml | spec.requestBudget.timeout in body should match",
            "image-without-reference.yaml | spec.bundle.image.reference: Required value",
            "bad-entrypoint.yaml | spec.entrypoint in body should match",
            "two-bundle-sources.yaml | set exactly one of bundle.inline, bundle.configMapRef and bundle.image",
            "memory-below-minimum.yaml | resources.memory must be a quantity of at least 128Mi",
            "zero-cpu.yaml | resources.cpu must be a positive quantity",
            "replica-bounds.yaml | autoscaling.horizontal.maxReplicas must be at least",
            "memory-bounds.yaml | autoscaling.vertical.minMemory must not exceed maxMemory",
            "egress-host-and-cidr.yaml | an egress rule names exactly one of host or cidr",
            "egress-end-below-port.yaml | an egress rule's endPort must not be below its port",
            "egress-bad-host.yaml | spec.egress[0].host in body should match"})
    void invalidWebAppsAreRefusedByTheApiServerItself(String file, String message) throws IOException {
        String ns = API.newNamespace("invalid");
        WebApp invalid = Serialization.unmarshal(Files.readString(Path.of("src/test/resources/webapps/invalid", file)), WebApp.class);
        assertThatThrownBy(() -> client.resource(invalid).inNamespace(ns).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).as(file).isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).as(file).contains(message);
                    System.out.println("[figures] " + file + " refused: " + e.getStatus().getMessage());
                });
        assertThat(client.resources(WebApp.class).inNamespace(ns).list().getItems()).isEmpty();
    }

    @Test
    void theJavaDefaultsMatchTheSchemaDefaults() {
        WebAppSpec spec = new WebAppSpec();
        assertThat(spec.getReplicas()).isEqualTo(1);
        assertThat(spec.getResources().getCpu()).isEqualTo(new Quantity("1"));
        assertThat(spec.getResources().getMemory()).isEqualTo(new Quantity("1Gi"));
        assertThat(spec.getService().getType()).isEqualTo("ClusterIP");
    }
}
