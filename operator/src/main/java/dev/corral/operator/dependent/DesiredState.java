package dev.corral.operator.dependent;

import dev.corral.operator.config.OperatorConfig;
import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.Resources;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What the reconcile decided before its dependents run, handed to them through JOSDK's workflow
 * context: the dependents build objects from the WebApp and this, and read nothing else.
 *
 * @param config       the operator's settings, parsed once at start
 * @param bundleHash   what identifies the bundle's content (a change rolls the pods)
 * @param podResources the quota new pods start with: the spec's, or the vertical autoscaler's where it applies by rollout
 */
public record DesiredState(OperatorConfig config, String bundleHash, Resources podResources) {
    private static final String KEY = DesiredState.class.getName();

    /** Puts this where the dependents find it; the reconciler does so before it runs the workflow. */
    public void handTo(Context<WebApp> context) {
        context.managedWorkflowAndDependentResourceContext().put(KEY, this);
    }

    /** What the reconciler handed over; only the workflow the reconciler runs reaches here. */
    static DesiredState from(Context<WebApp> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, DesiredState.class);
    }
}
