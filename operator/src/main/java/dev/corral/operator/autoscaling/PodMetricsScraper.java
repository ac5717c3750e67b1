package dev.corral.operator.autoscaling;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the cgroup usage each running server pod exports on its admin port (the server's own
 * corral_cgroup_* metrics), all pods at once, each bounded by a short timeout. A pod that does not
 * answer is left out of the round; it never fails a reconcile.
 */
public final class PodMetricsScraper {
    private static final Logger LOG = LoggerFactory.getLogger(PodMetricsScraper.class);
    /** A starved pod answers slowly (its admin port shares the pod's quota): allow what Prometheus would. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    private final String portName;
    private final Clock clock;

    public PodMetricsScraper(String portName, Clock clock) {
        this.portName = portName;
        this.clock = clock;
    }

    public List<PodSample> scrape(List<Pod> pods) {
        List<CompletableFuture<Optional<PodSample>>> pending = new ArrayList<>();
        for (Pod pod : pods) {
            address(pod).ifPresent(uri -> pending.add(http.sendAsync(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> response.statusCode() == 200 ? sample(pod.getMetadata().getName(), response.body()) : Optional.<PodSample>empty())
                    .exceptionally(e -> {
                        LOG.debug("no metrics from pod {}: {}", pod.getMetadata().getName(), e.toString());
                        return Optional.empty();
                    })));
        }
        List<PodSample> samples = new ArrayList<>();
        for (CompletableFuture<Optional<PodSample>> future : pending) {
            future.join().ifPresent(samples::add);
        }
        return samples;
    }

    private Optional<PodSample> sample(String pod, String body) {
        PrometheusText text = PrometheusText.parse(body);
        var memory = text.value("corral_cgroup_memory_usage_bytes");
        var periods = text.value("corral_cgroup_cpu_periods");
        var throttled = text.value("corral_cgroup_cpu_throttled_periods");
        var cpu = text.value("process_cpu_seconds");
        if (memory.isEmpty() || periods.isEmpty() || throttled.isEmpty() || cpu.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PodSample(pod, clock.instant(), (long) memory.getAsDouble(), (long) periods.getAsDouble(),
                (long) throttled.getAsDouble(), cpu.getAsDouble()));
    }

    /** http://podIP:adminPort/metrics for a running pod with an IP. */
    private Optional<URI> address(Pod pod) {
        if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase()) || pod.getStatus().getPodIP() == null
                || pod.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        return pod.getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
                .filter(p -> portName.equals(p.getName()))
                .findFirst()
                .map(p -> URI.create("http://" + hostLiteral(pod.getStatus().getPodIP()) + ":" + p.getContainerPort() + "/metrics"));
    }

    private static String hostLiteral(String ip) {
        return ip.contains(":") ? "[" + ip + "]" : ip;
    }
}
