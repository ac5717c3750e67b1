package dev.corral.operator.autoscaling;

import dev.corral.operator.customresource.spec.ApplyMethod;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the cluster resizes pods in place, asked once by API discovery: the API server lists the
 * {@code pods/resize} subresource where it does (on by default from Kubernetes 1.33; a version number
 * says nothing of a feature gate turned off). {@link ApplyMethod#Auto} becomes InPlace there and
 * Rollout elsewhere. Even where the subresource exists the kubelet may refuse a resize; that is
 * {@link ResizeRefusals}' part.
 */
public final class ResizeSupport {
    static final String SUBRESOURCE = "pods/resize";
    private static final Logger LOG = LoggerFactory.getLogger(ResizeSupport.class);
    private final AtomicReference<Boolean> inPlace = new AtomicReference<>();

    public ApplyMethod resolve(ApplyMethod requested, KubernetesClient client) {
        if (requested != ApplyMethod.Auto) {
            return requested;
        }
        Boolean known = inPlace.get();
        if (known == null) {
            known = detect(client);
            if (known != null) {
                inPlace.set(known);
            }
        }
        return Boolean.TRUE.equals(known) ? ApplyMethod.InPlace : ApplyMethod.Rollout;
    }

    /** True when the core group's resources include the resize subresource. */
    static boolean listsResize(APIResourceList core) {
        return core != null && core.getResources() != null
                && core.getResources().stream().map(APIResource::getName).anyMatch(SUBRESOURCE::equals);
    }

    /** The answer, or null when discovery failed (then rollouts for now, and the next reconcile asks again). */
    private static Boolean detect(KubernetesClient client) {
        try {
            boolean supported = listsResize(client.getApiResources("v1"));
            LOG.info("the API server {} {}: quota changes apply {}", supported ? "serves" : "does not serve", SUBRESOURCE,
                    supported ? "in place" : "by rollout");
            return supported;
        } catch (KubernetesClientException e) {
            LOG.warn("API discovery failed ({}); quota changes apply by rollout until it answers", e.getMessage());
            return null;
        }
    }
}
