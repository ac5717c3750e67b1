package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The ConfigMap of an inline bundle. */
@KubernetesDependent
public class BundleConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, WebApp> {
    public BundleConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(WebApp webApp, Context<WebApp> context) {
        return BundleConfigMap.desired(webApp);
    }
}
