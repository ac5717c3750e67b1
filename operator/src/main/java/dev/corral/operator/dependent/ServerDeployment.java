package dev.corral.operator.dependent;

import dev.corral.operator.config.OperatorConfig;
import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.BundleSource;
import dev.corral.operator.customresource.spec.EgressRule;
import dev.corral.operator.customresource.spec.Placement;
import dev.corral.operator.customresource.spec.RequestBudgetSpec;
import dev.corral.operator.customresource.spec.Resources;
import dev.corral.operator.customresource.spec.WebAppSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Deployment of a WebApp's server pods: hardened, probed on the admin port, sized by the WebApp's
 * quota, rolled when the bundle changes, and given time to drain.
 */
public final class ServerDeployment {
    public static final String CONTAINER = "server";
    public static final String HTTP_PORT_NAME = "http";
    public static final String ADMIN_PORT_NAME = "admin";
    static final int HTTP_PORT = 8080;
    static final int ADMIN_PORT = 9090;
    static final String BUNDLE_DIR = "/bundle";
    private static final long UID = 10001;
    /** The server's own default request timeout, when the WebApp sets none. */
    private static final int DEFAULT_TIMEOUT_SECONDS = 30;

    private ServerDeployment() {
    }

    public static Deployment desired(WebApp webApp, DesiredState state) {
        OperatorConfig config = state.config();
        String bundleHash = state.bundleHash();
        WebAppSpec spec = webApp.getSpec();
        Map<String, String> podAnnotations = new LinkedHashMap<>();
        podAnnotations.put(BundleHash.ANNOTATION, bundleHash);
        podAnnotations.put("prometheus.io/scrape", "true");
        podAnnotations.put("prometheus.io/port", Integer.toString(ADMIN_PORT));
        podAnnotations.put("prometheus.io/path", "/metrics");
        int timeout = timeoutSeconds(spec.getRequestBudget());

        PodSpecBuilder pod = new PodSpecBuilder()
                .withTerminationGracePeriodSeconds((long) timeout + config.drainSeconds() + config.graceSeconds())
                .withNewSecurityContext()
                .withRunAsNonRoot(true).withRunAsUser(UID).withRunAsGroup(UID).withFsGroup(UID)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addToContainers(serverContainer(webApp, config, timeout, state.podResources()))
                .addToVolumes(new VolumeBuilder().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("256Mi")).endEmptyDir().build())
                .addToVolumes(bundleVolume(webApp));
        BundleSource bundle = spec.getBundle();
        if (bundle.getImage() != null) {
            pod.addToInitContainers(new ContainerBuilder()
                    .withName("bundle")
                    .withImage(bundle.getImage().getReference())
                    .withCommand("sh", "-c", "cp -R \"$0\"/. " + BUNDLE_DIR + "/", bundle.getImage().getPath())
                    .withSecurityContext(containerSecurity())
                    .addNewVolumeMount().withName("bundle").withMountPath(BUNDLE_DIR).endVolumeMount()
                    .withResources(resources(state.podResources()))
                    .build());
        }
        Placement placement = spec.getPlacement();
        if (placement != null) {
            pod.withNodeSelector(placement.getNodeSelector())
                    .withTolerations(placement.getTolerations())
                    .withAffinity(placement.getAffinity())
                    .withServiceAccountName(placement.getServiceAccountName())
                    .withImagePullSecrets(placement.getImagePullSecrets());
        }
        // Bundle code cannot reach the token anyway (sandbox), but a pod that names no identity carries none.
        if (placement == null || placement.getServiceAccountName() == null || placement.getServiceAccountName().isBlank()) {
            pod.withAutomountServiceAccountToken(false);
        }

        return new DeploymentBuilder()
                .withMetadata(WebAppLabels.objectMeta(webApp, webApp.getMetadata().getName()))
                .withNewSpec()
                .withReplicas(spec.getReplicas())
                .withNewSelector().withMatchLabels(WebAppLabels.selector(webApp)).endSelector()
                // A new pod is ready before an old one goes: bundle changes roll without errors.
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate().endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(WebAppLabels.all(webApp)).withAnnotations(podAnnotations).endMetadata()
                .withSpec(pod.build())
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Container serverContainer(WebApp webApp, OperatorConfig config, int timeout, Resources quota) {
        WebAppSpec spec = webApp.getSpec();
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(spec.getImage() == null || spec.getImage().isBlank() ? config.serverImage() : spec.getImage())
                .addNewPort().withName(HTTP_PORT_NAME).withContainerPort(HTTP_PORT).withProtocol("TCP").endPort()
                .addNewPort().withName(ADMIN_PORT_NAME).withContainerPort(ADMIN_PORT).withProtocol("TCP").endPort()
                .withEnv(env(spec, config, timeout))
                .withResources(resources(quota))
                // A quota change in place must not restart the server: a restart drops the warm JIT (a minute or more
                // to peak again) and, with every pod resized at once, would take the whole WebApp down together. The
                // JVM keeps the heap ceiling it sized at start, so a memory raise goes to what lies outside the heap
                // (code caches, native memory), which is what a kernel OOM kill shows ran out (UserPathE2E measures it).
                .addNewResizePolicy().withResourceName("cpu").withRestartPolicy("NotRequired").endResizePolicy()
                .addNewResizePolicy().withResourceName("memory").withRestartPolicy("NotRequired").endResizePolicy()
                .withSecurityContext(containerSecurity())
                // GraalPy's first import and JIT warm-up can take a while under a small CPU quota: up to 3 minutes.
                .withStartupProbe(probe("/readyz", 2, 90))
                .withReadinessProbe(probe("/readyz", 5, 2))
                .withLivenessProbe(probe("/healthz", 10, 3))
                .addNewVolumeMount().withName("bundle").withMountPath(BUNDLE_DIR).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .build();
    }

    /** The server's settings, as its CORRAL_* variables, followed by the user's own variables. */
    static List<EnvVar> env(WebAppSpec spec, OperatorConfig config, int timeout) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("CORRAL_BUNDLE", BUNDLE_DIR, null));
        env.add(new EnvVar("CORRAL_TEMP_DIR", "/tmp/corral", null));
        env.add(new EnvVar("CORRAL_DRAIN_DELAY", config.drainSeconds() + "s", null));
        env.add(new EnvVar("CORRAL_DRAIN_TIMEOUT", (timeout + 1) + "s", null));
        RequestBudgetSpec budget = spec.getRequestBudget();
        if (budget != null) {
            addBudget(env, "CORRAL_REQUEST_TIMEOUT", budget.getTimeout());
            addBudget(env, "CORRAL_REQUEST_CPU", budget.getCpu());
            addBudget(env, "CORRAL_REQUEST_MEMORY", budget.getMemory());
        }
        if (spec.getWorkers() != null) {
            env.add(new EnvVar("CORRAL_WORKERS", spec.getWorkers().toString(), null));
        }
        if (spec.getEntrypoint() != null) {
            env.add(new EnvVar("CORRAL_ENTRYPOINT", spec.getEntrypoint(), null));
        }
        if (spec.getEgress() != null && !spec.getEgress().isEmpty()) {
            env.add(new EnvVar("CORRAL_EGRESS", String.join(",", spec.getEgress().stream().map(EgressRule::serverForm).toList()), null));
        }
        // The node's address, which the server's egress check refuses unless a rule names it by address.
        env.add(new EnvVar("CORRAL_NODE_IP", null, new io.fabric8.kubernetes.api.model.EnvVarSourceBuilder()
                .withNewFieldRef().withFieldPath("status.hostIP").endFieldRef().build()));
        if (spec.getEnv() != null) {
            env.addAll(spec.getEnv());
        }
        return env;
    }

    private static void addBudget(List<EnvVar> env, String name, String value) {
        if (value != null) {
            env.add(new EnvVar(name, value.equals("off") ? "0" : value, null));
        }
    }

    /** Seconds of the WebApp's request timeout ("off" and unset count as the server default). */
    static int timeoutSeconds(RequestBudgetSpec budget) {
        if (budget == null || budget.getTimeout() == null || budget.getTimeout().equals("off")) {
            return DEFAULT_TIMEOUT_SECONDS;
        }
        String t = budget.getTimeout();
        if (t.endsWith("ms")) {
            return (int) Math.ceil(Long.parseLong(t.substring(0, t.length() - 2)) / 1000.0);
        }
        long n = Long.parseLong(t.replaceAll("[smh]$", ""));
        return (int) switch (t.charAt(t.length() - 1)) {
            case 'm' -> n * 60;
            case 'h' -> n * 3600;
            default -> n;
        };
    }

    /** Limits are the pod's cgroup quota; requests equal them (Guaranteed QoS) unless asked otherwise. */
    static ResourceRequirements resources(Resources resources) {
        Map<String, Quantity> limits = new LinkedHashMap<>();
        limits.put("cpu", resources.getCpu());
        limits.put("memory", resources.getMemory());
        Map<String, Quantity> requests = new LinkedHashMap<>(limits);
        if (Boolean.FALSE.equals(resources.getGuaranteed())) {
            requests.replaceAll((k, v) -> half(v));
        }
        return new ResourceRequirementsBuilder().withLimits(limits).withRequests(requests).build();
    }

    private static Quantity half(Quantity quantity) {
        BigDecimal bytes = Quantity.getAmountInBytes(quantity).divide(BigDecimal.valueOf(2));
        return new Quantity(bytes.stripTrailingZeros().toPlainString());
    }

    private static SecurityContext containerSecurity() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString(ADMIN_PORT_NAME)).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withFailureThreshold(failureThreshold)
                .withTimeoutSeconds(2)
                .build();
    }

    private static Volume bundleVolume(WebApp webApp) {
        BundleSource bundle = webApp.getSpec().getBundle();
        if (bundle.getInline() != null) {
            return new VolumeBuilder().withName("bundle").withNewConfigMap()
                    .withName(BundleConfigMap.name(webApp)).withItems(BundleConfigMap.items(webApp)).endConfigMap().build();
        }
        if (bundle.getConfigMapRef() != null) {
            return new VolumeBuilder().withName("bundle").withNewConfigMap()
                    .withName(bundle.getConfigMapRef().getName()).endConfigMap().build();
        }
        return new VolumeBuilder().withName("bundle").withNewEmptyDir().endEmptyDir().build();
    }
}
