package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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

    /**
     * Only a ConfigMap this WebApp owns is the inline bundle's. JOSDK picks the target among every ConfigMap
     * the context holds for the WebApp, the referenced-bundles watch's included, by the desired name alone: a
     * user's {@code configMapRef} ConfigMap named like the inline one ({@code notes-bundle} for WebApp
     * {@code notes}) was taken for it and deleted, on the real cluster, as the inline one "no longer wanted".
     */
    @Override
    protected Optional<ConfigMap> selectTargetSecondaryResource(Set<ConfigMap> secondaryResources, WebApp webApp, Context<WebApp> context) {
        Set<ConfigMap> owned = secondaryResources.stream().filter(configMap -> ownedBy(configMap, webApp)).collect(Collectors.toSet());
        return owned.isEmpty() ? Optional.empty() : super.selectTargetSecondaryResource(owned, webApp, context);
    }

    static boolean ownedBy(ConfigMap configMap, WebApp webApp) {
        return configMap.getMetadata().getOwnerReferences() != null && configMap.getMetadata().getOwnerReferences().stream()
                .anyMatch(owner -> owner.getUid() != null && owner.getUid().equals(webApp.getMetadata().getUid()));
    }
}
