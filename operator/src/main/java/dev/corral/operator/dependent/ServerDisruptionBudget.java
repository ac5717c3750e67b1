package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** Voluntary disruptions (drains, quota rollouts) take at most one of a multi-pod WebApp's pods at a time. */
public final class ServerDisruptionBudget {
    private ServerDisruptionBudget() {
    }

    /** Only a WebApp with more than one pod gets a PDB; with one, it would block every node drain. */
    public static boolean wanted(WebApp webApp) {
        return webApp.getSpec().getReplicas() != null && webApp.getSpec().getReplicas() > 1;
    }

    public static PodDisruptionBudget desired(WebApp webApp) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(WebAppLabels.objectMeta(webApp, webApp.getMetadata().getName()))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(WebAppLabels.selector(webApp)).endSelector()
                .endSpec()
                .build();
    }
}
