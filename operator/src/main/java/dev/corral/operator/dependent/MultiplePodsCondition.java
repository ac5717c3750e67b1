package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** A PDB only for WebApps with more than one pod. */
public class MultiplePodsCondition implements Condition<PodDisruptionBudget, WebApp> {
    @Override
    public boolean isMet(DependentResource<PodDisruptionBudget, WebApp> dependent, WebApp webApp, Context<WebApp> context) {
        return ServerDisruptionBudget.wanted(webApp);
    }
}
