package dev.corral.operator.autoscaling;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Brings running pods to the effective quota without restarting them, through the pods/resize
 * subresource (a strategic-merge patch of the container's resources, as kubectl --subresource=resize sends).
 * Pods already there are left alone, so a repeat is free.
 */
public final class PodResizer {
    private static final Logger LOG = LoggerFactory.getLogger(PodResizer.class);

    private final String containerName;

    public PodResizer(String containerName) {
        this.containerName = containerName;
    }

    /** Resizes every running pod whose container differs from the quota; returns the pods it asked to resize. */
    public List<String> resize(KubernetesClient client, List<Pod> pods, Quota quota, boolean guaranteed) {
        Map<String, Quantity> limits = Map.of("cpu", quota.cpuQuantity(), "memory", quota.memoryQuantity());
        Map<String, Quantity> requests = guaranteed ? limits
                : Map.of("cpu", new Quota(quota.milliCpu() / 2, 0).cpuQuantity(), "memory", new Quota(0, quota.memoryBytes() / 2).memoryQuantity());
        return pods.stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .filter(pod -> container(pod) != null && !matches(container(pod), quota))
                .filter(pod -> send(client, pod, limits, requests))
                .map(pod -> pod.getMetadata().getName())
                .toList();
    }

    private Container container(Pod pod) {
        return pod.getSpec().getContainers().stream().filter(c -> c.getName().equals(containerName)).findFirst().orElse(null);
    }

    private static boolean matches(Container container, Quota quota) {
        if (container.getResources() == null || container.getResources().getLimits() == null) {
            return false;
        }
        Quantity cpu = container.getResources().getLimits().get("cpu");
        Quantity memory = container.getResources().getLimits().get("memory");
        return cpu != null && memory != null && Quota.of(cpu, memory).equals(quota);
    }

    private boolean send(KubernetesClient client, Pod pod, Map<String, Quantity> limits, Map<String, Quantity> requests) {
        String patch = "{\"spec\":{\"containers\":[{\"name\":\"" + containerName + "\",\"resources\":{"
                + "\"limits\":" + json(limits) + ",\"requests\":" + json(requests) + "}}]}}";
        try {
            // On the cached pod: by name, fabric8 would read the pod first, a call (and a permission) for nothing.
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod)
                    .subresource("resize").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
            return true;
        } catch (KubernetesClientException e) {
            // 409 or 422: the API server refuses (e.g. memory below current use); the next reconcile tries again.
            LOG.warn("resize of pod {} refused ({}): {}", pod.getMetadata().getName(), e.getCode(), e.getMessage());
            return false;
        }
    }

    private static String json(Map<String, Quantity> values) {
        return "{\"cpu\":\"" + values.get("cpu").toString() + "\",\"memory\":\"" + values.get("memory").toString() + "\"}";
    }
}
