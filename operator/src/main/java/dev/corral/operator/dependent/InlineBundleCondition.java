package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The bundle ConfigMap exists only for inline bundles. */
public class InlineBundleCondition implements Condition<ConfigMap, WebApp> {
    @Override
    public boolean isMet(DependentResource<ConfigMap, WebApp> dependent, WebApp webApp, Context<WebApp> context) {
        return webApp.getSpec().getBundle() != null && webApp.getSpec().getBundle().getInline() != null;
    }
}
