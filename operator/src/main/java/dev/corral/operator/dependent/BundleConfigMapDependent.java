package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The ConfigMap of an inline bundle. */
@KubernetesDependent(informer = @Informer(labelSelector = WebAppLabels.MANAGED_SELECTOR))
public class BundleConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, WebApp> {
    public BundleConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(WebApp webApp, Context<WebApp> context) {
        if (webApp.getSpec().getBundle().getInline() == null) {
            // JOSDK asks for the desired object to find the one to delete once the bundle moved out of the spec.
            return new ConfigMapBuilder().withMetadata(WebAppLabels.objectMeta(webApp, BundleConfigMap.name(webApp))).build();
        }
        return BundleConfigMap.desired(webApp);
    }
}
