package dev.corral.operator.status;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.BundleSource;
import dev.corral.operator.customresource.spec.ConfigMapBundle;
import dev.corral.operator.customresource.spec.WebAppSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SpecValidationTest {
    private static WebApp webApp(BundleSource bundle) {
        WebApp webApp = new WebApp();
        webApp.setMetadata(new ObjectMetaBuilder().withName("a").withNamespace("n").build());
        WebAppSpec spec = new WebAppSpec();
        spec.setBundle(bundle);
        webApp.setSpec(spec);
        return webApp;
    }

    private static BundleSource inline(Map<String, String> files) {
        BundleSource bundle = new BundleSource();
        bundle.setInline(files);
        return bundle;
    }

    @Test
    void aSensibleSpecHasNoProblems() {
        assertThat(SpecValidation.problems(webApp(inline(Map.of("app.py", "x = 1", "lib/p/__init__.py", ""))))).isEmpty();
    }

    @Test
    void bundleSourcesMustBeExactlyOne() {
        BundleSource two = inline(Map.of("app.py", ""));
        ConfigMapBundle ref = new ConfigMapBundle();
        ref.setName("code");
        two.setConfigMapRef(ref);
        assertThat(SpecValidation.problems(webApp(two))).containsExactly("spec.bundle must set exactly one of inline, configMapRef and image (found 2)");
        assertThat(SpecValidation.problems(webApp(null))).singleElement().asString().contains("found 0");
    }

    @Test
    void inlineBundlesStayInsideAndFitAConfigMap() {
        assertThat(SpecValidation.problems(webApp(inline(Map.of("/etc/x.py", ""))))).singleElement().asString().contains("must be relative");
        assertThat(SpecValidation.problems(webApp(inline(Map.of("../x.py", ""))))).singleElement().asString().contains("inside the bundle");
        assertThat(SpecValidation.problems(webApp(inline(Map.of("big.py", "x".repeat(1 << 20))))))
                .singleElement().asString().contains("limited to 900 KiB").contains("use configMapRef or image");
    }

    @Test
    void quotasMustBeUsable() {
        WebApp app = webApp(inline(Map.of("app.py", "")));
        app.getSpec().getResources().setMemory(new Quantity("64Mi"));
        app.getSpec().getResources().setCpu(new Quantity("0"));
        assertThat(SpecValidation.problems(app)).containsExactlyInAnyOrder(
                "spec.resources.cpu is '0'; expected a positive CPU quantity such as 500m",
                "spec.resources.memory is '64Mi'; expected at least 128Mi");
    }
}
