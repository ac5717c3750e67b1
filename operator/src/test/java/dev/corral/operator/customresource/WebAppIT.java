package dev.corral.operator.customresource;

import io.fabric8.kubernetes.api.model.HasMetadata;
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
                """, WebApp.class);
        client.resource(parsed).create();

        WebApp stored = client.resources(WebApp.class).inNamespace("shop").withName("hello").get();
        assertThat(stored.getSpec().getReplicas()).isEqualTo(3);
        assertThat(stored.getSpec().getImage()).isEqualTo("corral/server:dev");

        stored.getSpec().setReplicas(5);
        client.resource(stored).update();
        assertThat(client.resources(WebApp.class).inNamespace("shop").withName("hello").get().getSpec().getReplicas()).isEqualTo(5);
        assertThat(client.resources(WebApp.class).inNamespace("other").list().getItems()).isEmpty();
    }

    @Test
    void replicasDefaultToOne() {
        assertThat(new WebAppSpec().getReplicas()).isEqualTo(1);
    }
}
