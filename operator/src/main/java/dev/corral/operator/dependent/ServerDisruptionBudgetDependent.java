package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The PDB of a WebApp with more than one pod. */
@KubernetesDependent(informer = @Informer(labelSelector = WebAppLabels.MANAGED_SELECTOR))
public class ServerDisruptionBudgetDependent extends CRUDKubernetesDependentResource<PodDisruptionBudget, WebApp> {
    public ServerDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(WebApp webApp, Context<WebApp> context) {
        return ServerDisruptionBudget.desired(webApp);
    }
}
