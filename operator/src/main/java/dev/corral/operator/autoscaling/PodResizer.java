package dev.corral.operator.autoscaling;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Brings running pods to the effective quota without restarting them, through the pods/resize
 * subresource (fabric8 has no DSL for it, so the patch is sent on the client's own HTTP client).
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
        String path = "api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName() + "/resize";
        String base = client.getMasterUrl().toString();
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
                .uri(base + (base.endsWith("/") ? "" : "/") + path)
                .method("PATCH", "application/strategic-merge-patch+json", patch)
                .build();
        try {
            HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class).get(10, TimeUnit.SECONDS);
            if (response.isSuccessful()) {
                return true;
            }
            // 409 or 422: the kubelet refuses (e.g. memory below current use); the next reconcile tries again.
            LOG.warn("resize of pod {} refused ({}): {}", pod.getMetadata().getName(), response.code(), response.body());
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("resize of pod {} failed: {}", pod.getMetadata().getName(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static String json(Map<String, Quantity> values) {
        return "{\"cpu\":\"" + values.get("cpu").toString() + "\",\"memory\":\"" + values.get("memory").toString() + "\"}";
    }
}
