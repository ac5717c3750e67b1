package dev.corral.operator.status;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.BundleSource;
import dev.corral.operator.customresource.spec.ConfigMapBundle;
import dev.corral.operator.customresource.spec.EgressRules;
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
    void egressRulesTheServerWouldRefuseAreReported() {
        WebApp app = webApp(inline(Map.of("app.py", "")));
        app.getSpec().setEgress(java.util.List.of(EgressRules.rule("postgres.db.svc", null, 5432, null), EgressRules.rule("999.1.1.1", null, 80, null),
                EgressRules.rule(null, "10.0.0.0/33", 80, null), EgressRules.rule("db", "10.0.0.0/8", 80, null), EgressRules.rule(null, "10.0.0.0/8", 443, 80),
                EgressRules.rule("fd00::1", null, 6379, null), EgressRules.rule(null, "fd00::/8", 443, 444)));
        assertThat(SpecValidation.problems(app)).containsExactly(
                "spec.egress[1].host '999.1.1.1' is neither a host name nor an IP address",
                "spec.egress[2].cidr '10.0.0.0/33' needs a prefix from 0 to 32",
                "spec.egress[3] must name exactly one of host and cidr",
                "spec.egress[4].endPort must be from port (443) to 65535");
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
