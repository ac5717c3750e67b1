package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The HPA of a WebApp with horizontal scaling on; deleted when it is turned off. */
@KubernetesDependent(informer = @Informer(labelSelector = WebAppLabels.MANAGED_SELECTOR))
public class ServerAutoscalerDependent extends CRUDKubernetesDependentResource<HorizontalPodAutoscaler, WebApp> {
    public ServerAutoscalerDependent() {
        super(HorizontalPodAutoscaler.class);
    }

    @Override
    protected HorizontalPodAutoscaler desired(WebApp webApp, Context<WebApp> context) {
        if (webApp.getSpec().getAutoscaling() == null || webApp.getSpec().getAutoscaling().getHorizontal() == null) {
            // JOSDK asks for the desired object to find the one to delete once horizontal scaling is gone from the spec.
            return new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder()
                    .withMetadata(WebAppLabels.objectMeta(webApp, webApp.getMetadata().getName())).build();
        }
        return ServerAutoscaler.desired(webApp);
    }
}
