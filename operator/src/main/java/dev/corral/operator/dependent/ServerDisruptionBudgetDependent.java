package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.status.SpecValidation;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The PDB of a WebApp with more than one pod. */
@KubernetesDependent
public class ServerDisruptionBudgetDependent extends CRUDKubernetesDependentResource<PodDisruptionBudget, WebApp> {
    public ServerDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(WebApp webApp, Context<WebApp> context) {
        // Refuse, rather than build from, a spec that cannot be honoured: the objects in place stay as they are.
        SpecValidation.requireValid(webApp);
        return ServerDisruptionBudget.desired(webApp);
    }
}
