package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.BundleSource;
import dev.corral.operator.customresource.spec.WebAppSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test fixtures: WebApps as a user would write them. */
final class TestWebApps {
    private TestWebApps() {
    }

    static WebApp withInlineBundle(String name, Map<String, String> files) {
        BundleSource bundle = new BundleSource();
        bundle.setInline(new LinkedHashMap<>(files));
        return webApp(name, bundle);
    }

    static WebApp webApp(String name, BundleSource bundle) {
        WebApp webApp = new WebApp();
        webApp.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").withGeneration(1L).build());
        WebAppSpec spec = new WebAppSpec();
        spec.setBundle(bundle);
        webApp.setSpec(spec);
        return webApp;
    }
}
