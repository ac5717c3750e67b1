package dev.corral.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The kubelet and Deployment controller, played on this machine against the mock API: for each pod a
 * WebApp's Deployment asks for, a real server process in a real cgroup with the template's limits, the
 * bundle written from its ConfigMap, and a Pod object reporting it (IP 127.0.0.1, the real admin port,
 * Running/Ready). A server the kernel OOM-kills is reported as the kubelet would (lastState OOMKilled)
 * and restarted in the same pod; a pod resized through pods/resize gets the new limits in its cgroup.
 */
final class LocalKubelet implements AutoCloseable {
    /** One pod: its cgroup, its current server process, and the limits applied to the cgroup. */
    private static final class LocalPod {
        final String name;
        final PodCgroup cgroup;
        final Path bundle;
        ServerProcess server;
        int restarts;
        long memoryLimit;
        long milliCpu;

        LocalPod(String name, PodCgroup cgroup, Path bundle) {
            this.name = name;
            this.cgroup = cgroup;
            this.bundle = bundle;
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String deploymentName;
    private final Path work;
    private final Map<String, String> env;
    private final Map<String, LocalPod> pods = new LinkedHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "local-kubelet"));
    private final List<String> errors = new ArrayList<>();

    LocalKubelet(KubernetesClient client, String namespace, String deploymentName, Path work, Map<String, String> env) {
        this.client = client;
        this.namespace = namespace;
        this.deploymentName = deploymentName;
        this.work = work;
        this.env = env;
        loop.scheduleWithFixedDelay(this::syncSafely, 0, 500, TimeUnit.MILLISECONDS);
    }

    /** The pods' server processes, by pod name, as far as they run. */
    synchronized Map<String, ServerProcess> servers() {
        Map<String, ServerProcess> servers = new LinkedHashMap<>();
        pods.forEach((name, pod) -> servers.put(name, pod.server));
        return servers;
    }

    synchronized PodCgroup cgroup(String pod) {
        return pods.get(pod).cgroup;
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    private void syncSafely() {
        try {
            sync();
        } catch (Exception e) {
            synchronized (this) {
                errors.add(e.toString());
            }
        }
    }

    private synchronized void sync() throws Exception {
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(deploymentName).get();
        if (deployment == null) {
            return;
        }
        int wanted = deployment.getSpec().getReplicas();
        while (pods.size() < wanted) {
            start(deployment, deploymentName + "-" + pods.size());
        }
        int ready = 0;
        for (LocalPod pod : pods.values()) {
            watchProcess(pod);
            applyResize(pod);
            if (pod.server.process.isAlive() && isReady(pod.server)) {
                ready++;
            }
        }
        if (deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null
                || deployment.getStatus().getReadyReplicas() != ready
                || !deployment.getMetadata().getGeneration().equals(deployment.getStatus().getObservedGeneration())) {
            deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(deployment.getMetadata().getGeneration())
                    .withReplicas(pods.size()).withUpdatedReplicas(pods.size()).withReadyReplicas(ready).build());
            client.resource(deployment).updateStatus();
        }
    }

    private void start(Deployment deployment, String name) throws IOException {
        Container template = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        long memory = memoryBytes(template.getResources().getLimits().get("memory"));
        long milliCpu = milliCpu(template.getResources().getLimits().get("cpu"));
        PodCgroup cgroup = PodCgroup.create(name, memory, milliCpu / 1000.0);
        LocalPod pod = new LocalPod(name, cgroup, writeBundle(deployment, name));
        pod.memoryLimit = memory;
        pod.milliCpu = milliCpu;
        pod.server = ServerProcess.launchIn(cgroup, pod.bundle, work, env);
        pods.put(name, pod);
        client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(name).withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                .withNewSpec().addNewContainer().withName(template.getName()).withImage(template.getImage())
                .withResources(template.getResources())
                .addNewPort().withName("http").withContainerPort(pod.server.port).endPort()
                .addNewPort().withName("admin").withContainerPort(pod.server.adminPort).endPort()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("127.0.0.1")
                .addNewContainerStatus().withName(template.getName()).withRestartCount(0).withReady(false).endContainerStatus()
                .endStatus().build()).create();
    }

    /** A server that died is reported as the kubelet would, then restarted in its pod. */
    private void watchProcess(LocalPod pod) throws IOException {
        if (pod.server.process.isAlive()) {
            return;
        }
        int exit = pod.server.process.exitValue();
        boolean oomKilled = exit == 137 && pod.cgroup.oomKills() > 0;
        pod.restarts++;
        Pod current = client.pods().inNamespace(namespace).withName(pod.name).get();
        var status = current.getStatus().getContainerStatuses().get(0);
        status.setRestartCount(pod.restarts);
        status.setLastState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewTerminated()
                .withReason(oomKilled ? "OOMKilled" : "Error").withExitCode(exit).withFinishedAt(Instant.now().toString())
                .endTerminated().build());
        client.resource(current).updateStatus();
        pod.server = ServerProcess.launchIn(pod.cgroup, pod.bundle, work, env);
    }

    /** pods/resize changed the pod's limits: write them into its cgroup, as the kubelet does. */
    private void applyResize(LocalPod pod) throws IOException {
        Pod current = client.pods().inNamespace(namespace).withName(pod.name).get();
        Map<String, Quantity> limits = current.getSpec().getContainers().get(0).getResources().getLimits();
        long memory = memoryBytes(limits.get("memory"));
        long milliCpu = milliCpu(limits.get("cpu"));
        if (memory != pod.memoryLimit) {
            pod.cgroup.setMemory(memory);
            pod.memoryLimit = memory;
        }
        if (milliCpu != pod.milliCpu) {
            pod.cgroup.setCpu(milliCpu / 1000.0);
            pod.milliCpu = milliCpu;
        }
    }

    private static boolean isReady(ServerProcess server) {
        try {
            return server.admin("/readyz").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** The bundle volume's ConfigMap, written out with its items' paths. */
    private Path writeBundle(Deployment deployment, String pod) throws IOException {
        Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("bundle")).findFirst().orElseThrow();
        ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(volume.getConfigMap().getName()).get();
        Path dir = Files.createDirectories(work.resolve("bundle-" + pod));
        List<KeyToPath> items = volume.getConfigMap().getItems();
        if (items == null || items.isEmpty()) {
            for (Map.Entry<String, String> entry : configMap.getData().entrySet()) {
                Files.writeString(dir.resolve(entry.getKey()), entry.getValue());
            }
        } else {
            for (KeyToPath item : items) {
                Path file = dir.resolve(item.getPath());
                Files.createDirectories(file.getParent());
                Files.writeString(file, configMap.getData().get(item.getKey()));
            }
        }
        return dir;
    }

    private static long memoryBytes(Quantity memory) {
        return Quantity.getAmountInBytes(memory).longValue();
    }

    private static long milliCpu(Quantity cpu) {
        return Quantity.getAmountInBytes(cpu).multiply(java.math.BigDecimal.valueOf(1000)).longValue();
    }

    @Override
    public synchronized void close() throws Exception {
        loop.shutdownNow();
        loop.awaitTermination(10, TimeUnit.SECONDS);
        for (LocalPod pod : pods.values()) {
            pod.server.close();
            pod.cgroup.close();
        }
    }
}
