package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** An HPA only while the WebApp asks for horizontal scaling. */
public class HorizontalScalingCondition implements Condition<HorizontalPodAutoscaler, WebApp> {
    @Override
    public boolean isMet(DependentResource<HorizontalPodAutoscaler, WebApp> dependent, WebApp webApp, Context<WebApp> context) {
        return ServerAutoscaler.wanted(webApp);
    }
}
