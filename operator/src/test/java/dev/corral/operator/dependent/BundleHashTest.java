package dev.corral.operator.dependent;

import dev.corral.operator.customresource.spec.BundleSource;
import dev.corral.operator.customresource.spec.ConfigMapBundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What identifies a bundle, so that its change, and only its change, rolls the pods. */
class BundleHashTest {
    private static BundleSource fromConfigMap() {
        BundleSource bundle = new BundleSource();
        ConfigMapBundle ref = new ConfigMapBundle();
        ref.setName("shop-code");
        bundle.setConfigMapRef(ref);
        return bundle;
    }

    private static ConfigMap configMap(Map<String, String> data, Map<String, String> binaryData) {
        return new ConfigMapBuilder().withNewMetadata().withName("shop-code").endMetadata().withData(data).withBinaryData(binaryData).build();
    }

    private static Deployment runningWith(String hash) {
        return new DeploymentBuilder().withNewSpec().withNewTemplate().withNewMetadata()
                .addToAnnotations(BundleHash.ANNOTATION, hash).endMetadata().endTemplate().endSpec().build();
    }

    @Test
    void aReferencedConfigMapIsHashedByItsDataAndBinaryData() {
        String text = BundleHash.of(fromConfigMap(), Optional.of(configMap(Map.of("app.py", "x"), null)), Optional.empty());
        String both = BundleHash.of(fromConfigMap(), Optional.of(configMap(Map.of("app.py", "x"), Map.of("logo.png", "AAAA"))), Optional.empty());
        assertThat(both).isNotEqualTo(text);
        assertThat(BundleHash.of(fromConfigMap(), Optional.of(configMap(Map.of("app.py", "x"), null)), Optional.of(runningWith("old"))))
                .isEqualTo(text);
    }

    @Test
    void aDeletedConfigMapKeepsTheHashThePodsRunWithAndBeforeAnyPodsItIsMissing() {
        assertThat(BundleHash.of(fromConfigMap(), Optional.empty(), Optional.of(runningWith("abc123")))).isEqualTo("abc123");
        assertThat(BundleHash.of(fromConfigMap(), Optional.empty(), Optional.empty())).isEqualTo(BundleHash.MISSING);
    }
}
