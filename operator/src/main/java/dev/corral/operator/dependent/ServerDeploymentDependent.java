package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Deployment of the WebApp's server pods, built from the reconcile's {@link DesiredState}. */
@KubernetesDependent(informer = @Informer(labelSelector = WebAppLabels.MANAGED_SELECTOR))
public class ServerDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, WebApp> {
    public ServerDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(WebApp webApp, Context<WebApp> context) {
        return ServerDeployment.desired(webApp, DesiredState.from(context));
    }
}
