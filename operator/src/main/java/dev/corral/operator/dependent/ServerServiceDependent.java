package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The WebApp's Service. */
@KubernetesDependent(informer = @Informer(labelSelector = WebAppLabels.MANAGED_SELECTOR))
public class ServerServiceDependent extends CRUDKubernetesDependentResource<Service, WebApp> {
    public ServerServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(WebApp webApp, Context<WebApp> context) {
        return ServerService.desired(webApp);
    }
}
