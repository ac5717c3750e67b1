package dev.corral.operator.customresource;

import dev.corral.operator.customresource.spec.WebAppSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The WebApp model as the API server sees it: its coordinates and a create/read/update round trip. */
@EnableKubernetesMockClient(crud = true)
class WebAppIT {
    KubernetesClient client;

    @Test
    void modelCoordinatesAreThoseOfTheCrd() {
        assertThat(HasMetadata.getGroup(WebApp.class)).isEqualTo("corral.dev");
        assertThat(HasMetadata.getVersion(WebApp.class)).isEqualTo("v1alpha1");
        assertThat(HasMetadata.getPlural(WebApp.class)).isEqualTo("webapps");
        assertThat(HasMetadata.getKind(WebApp.class)).isEqualTo("WebApp");
    }

    @Test
    void aWebAppYamlRoundTripsThroughTheApiServer() {
        WebApp parsed = Serialization.unmarshal("""
                apiVersion: corral.dev/v1alpha1
                kind: WebApp
                metadata:
                  name: hello
                  namespace: shop
                spec:
                  replicas: 3
                  image: corral/server:dev
                  resources: {cpu: 500m, memory: 768Mi}
                  bundle:
                    inline:
                      app.py: "application = None"
                """, WebApp.class);
        client.resource(parsed).create();

        WebApp stored = client.resources(WebApp.class).inNamespace("shop").withName("hello").get();
        assertThat(stored.getSpec().getReplicas()).isEqualTo(3);
        assertThat(stored.getSpec().getImage()).isEqualTo("corral/server:dev");
        assertThat(stored.getSpec().getResources().getCpu()).isEqualTo(new Quantity("500m"));
        assertThat(stored.getSpec().getResources().getMemory()).isEqualTo(new Quantity("768Mi"));
        assertThat(stored.getSpec().getResources().getGuaranteed()).isTrue();
        assertThat(stored.getSpec().getBundle().getInline()).containsEntry("app.py", "application = None");
        assertThat(stored.getSpec().getService().getPort()).isEqualTo(80);

        stored.getSpec().setReplicas(5);
        client.resource(stored).update();
        assertThat(client.resources(WebApp.class).inNamespace("shop").withName("hello").get().getSpec().getReplicas()).isEqualTo(5);
        assertThat(client.resources(WebApp.class).inNamespace("other").list().getItems()).isEmpty();
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
