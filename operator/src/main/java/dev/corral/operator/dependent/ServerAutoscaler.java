package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.HorizontalScaling;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * The HorizontalPodAutoscaler of a WebApp with horizontal scaling: it scales the WebApp itself through
 * its scale subresource (so spec.replicas stays the one source of the pod count), on CPU use as a share
 * of the pods' CPU quota, and optionally on requests in flight per pod.
 */
public final class ServerAutoscaler {
    /** The server's in-flight gauge, as a metrics adapter would serve it per pod. */
    public static final String IN_FLIGHT_METRIC = "corral_http_requests_in_flight";

    private ServerAutoscaler() {
    }

    /** True when the WebApp asks for horizontal scaling. */
    public static boolean wanted(WebApp webApp) {
        var autoscaling = webApp.getSpec().getAutoscaling();
        HorizontalScaling horizontal = autoscaling == null ? null : autoscaling.getHorizontal();
        return horizontal != null && !Boolean.FALSE.equals(horizontal.getEnabled());
    }

    public static HorizontalPodAutoscaler desired(WebApp webApp) {
        HorizontalScaling horizontal = webApp.getSpec().getAutoscaling().getHorizontal();
        List<MetricSpec> metrics = new ArrayList<>();
        metrics.add(new MetricSpecBuilder().withType("Resource")
                .withNewResource().withName("cpu")
                .withNewTarget().withType("Utilization").withAverageUtilization(horizontal.getTargetCPUUtilization()).endTarget()
                .endResource().build());
        if (horizontal.getTargetRequestsInFlight() != null) {
            metrics.add(new MetricSpecBuilder().withType("Pods")
                    .withNewPods().withNewMetric().withName(IN_FLIGHT_METRIC).endMetric()
                    .withNewTarget().withType("AverageValue").withAverageValue(new Quantity(horizontal.getTargetRequestsInFlight().toString())).endTarget()
                    .endPods().build());
        }
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(WebAppLabels.objectMeta(webApp, webApp.getMetadata().getName()))
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion(webApp.getApiVersion()).withKind(webApp.getKind())
                .withName(webApp.getMetadata().getName()).endScaleTargetRef()
                .withMinReplicas(horizontal.getMinReplicas())
                .withMaxReplicas(horizontal.getMaxReplicas())
                .withMetrics(metrics)
                .endSpec()
                .build();
    }
}
