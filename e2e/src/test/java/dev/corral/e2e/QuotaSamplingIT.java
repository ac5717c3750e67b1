package dev.corral.e2e;

import dev.corral.operator.autoscaling.PodMetricsScraper;
import dev.corral.operator.autoscaling.PodSample;
import dev.corral.operator.autoscaling.UsageHistory;
import dev.corral.operator.autoscaling.UsageObservation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's vertical autoscaler reads what a real server in a real cgroup reports: under load and
 * a small CPU quota it sees sustained throttling; after the quota is raised in place (written into the
 * cgroup, as the kubelet does for pods/resize) the throttling ends, and the server keeps serving.
 */
class QuotaSamplingIT {
    private static final Duration START = Duration.ofSeconds(180);
    private static final Duration WINDOW = Duration.ofMinutes(5);

    @TempDir
    Path work;

    @BeforeAll
    static void requireWritableCgroups() {
        PodCgroup.assumeAvailable();
    }

    @Test
    void throttlingUnderASmallQuotaIsSeenAndEndsWhenTheQuotaIsRaisedInPlace() throws Exception {
        Path bundle = Path.of(QuotaSamplingIT.class.getResource("/bundles/hog").toURI());
        try (PodCgroup cgroup = PodCgroup.create("quota", 1L << 30, 1.5);
             ServerProcess server = ServerProcess.launchIn(cgroup, bundle, work, Map.of())) {
            server.awaitReady(START);
            PodMetricsScraper scraper = new PodMetricsScraper("admin", Clock.systemUTC());
            List<Pod> pods = List.of(pod(server.adminPort));
            // Just after ready the JIT still compiles hot code, so even 1.5 cores may be throttled: no claim here.
            sample(scraper, pods, new UsageHistory(), 2);

            // From here on, one history, as the operator keeps per WebApp.
            UsageHistory history = new UsageHistory();
            cgroup.setCpu(0.2);
            UsageObservation starved;
            try (SteadyLoad load = SteadyLoad.start(server, "/", 4)) {
                starved = sample(scraper, pods, history, 6);
                SteadyLoad.Result result = load.stop();
                assertThat(result.requests()).isGreaterThan(0);
            }
            assertThat(starved.throttledSince()).as("throttled at 0.2 cores under load").isNotNull();
            assertThat(starved.peakMemoryBytes()).as("memory as the cgroup charges it")
                    .isBetween(50L << 20, 1L << 30);
            assertThat(starved.peakCpuCores()).as("CPU use is capped near the quota").isBetween(0.01, 0.5);

            cgroup.setCpu(2.0);
            UsageObservation fed;
            SteadyLoad.Result served;
            try (SteadyLoad load = SteadyLoad.start(server, "/", 1)) {
                fed = sample(scraper, pods, history, 4);
                served = load.stop();
            }
            assertThat(fed.throttledSince()).as("no longer throttled after the raise").isNull();
            assertThat(served.errors()).as("failures: %s", served.failures()).isZero();
            System.out.println("[figures] quota sampling: at 0.2 cores peak CPU " + String.format("%.2f", starved.peakCpuCores())
                    + " cores, throttled since " + starved.throttledSince() + "; after the in-place raise: " + served);
        }
    }

    /** {@code rounds} scrapes a second apart, as the operator does every CORRAL_USAGE_SAMPLE_SECONDS. */
    private static UsageObservation sample(PodMetricsScraper scraper, List<Pod> pods, UsageHistory history, int rounds) throws InterruptedException {
        UsageObservation seen = null;
        for (int i = 0; i < rounds; i++) {
            List<PodSample> samples = scraper.scrape(pods);
            assertThat(samples).as("the server's admin /metrics answers").hasSize(1);
            seen = history.record(Instant.now(), samples, 0.25, WINDOW, 0, false);
            Thread.sleep(1000);
        }
        return seen;
    }

    /** The pod as the API server would list it: running, with an IP and the admin port by name. */
    private static Pod pod(int adminPort) {
        return new PodBuilder().withNewMetadata().withName("quota-0").endMetadata()
                .withNewSpec().addNewContainer().withName("server").addNewPort().withName("admin").withContainerPort(adminPort).endPort()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("127.0.0.1").endStatus().build();
    }
}
