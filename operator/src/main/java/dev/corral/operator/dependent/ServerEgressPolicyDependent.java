package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The egress NetworkPolicy every WebApp gets (see {@link ServerEgressPolicy}). */
@KubernetesDependent(informer = @Informer(labelSelector = WebAppLabels.MANAGED_SELECTOR))
public class ServerEgressPolicyDependent extends CRUDKubernetesDependentResource<NetworkPolicy, WebApp> {
    public ServerEgressPolicyDependent() {
        super(NetworkPolicy.class);
    }

    @Override
    protected NetworkPolicy desired(WebApp webApp, Context<WebApp> context) {
        return ServerEgressPolicy.desired(webApp);
    }
}
