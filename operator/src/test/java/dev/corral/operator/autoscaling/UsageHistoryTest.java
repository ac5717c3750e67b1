package dev.corral.operator.autoscaling;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UsageHistoryTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(10);

    private static UsageObservation round(UsageHistory history, Instant now, PodSample... samples) {
        return history.record(now, List.of(samples), 0.25, WINDOW, 0, false);
    }

    private static PodSample pod(String name, Instant time, long memoryMi, long periods, long throttled, double cpuSeconds) {
        return new PodSample(name, time, memoryMi * 1024 * 1024, periods, throttled, cpuSeconds);
    }

    @Test
    void throttlingIsTimedFromTheFirstStarvedRoundAndEndsWithAHealthyOne() {
        UsageHistory history = new UsageHistory();
        assertThat(round(history, T0, pod("a", T0, 100, 0, 0, 0)).throttledSince()).isNull();
        Instant t1 = T0.plusSeconds(30);
        assertThat(round(history, t1, pod("a", t1, 100, 300, 90, 15)).throttledSince()).as("30% throttled").isEqualTo(t1);
        Instant t2 = t1.plusSeconds(30);
        assertThat(round(history, t2, pod("a", t2, 100, 600, 180, 30)).throttledSince()).as("still").isEqualTo(t1);
        Instant t3 = t2.plusSeconds(30);
        assertThat(round(history, t3, pod("a", t3, 100, 900, 190, 40)).throttledSince()).as("3% throttled").isNull();
    }

    @Test
    void throttlingIsMeasuredAcrossPodsAndARestartedPodStartsOver() {
        UsageHistory history = new UsageHistory();
        round(history, T0, pod("a", T0, 100, 1000, 0, 100), pod("b", T0, 100, 1000, 0, 100));
        Instant t1 = T0.plusSeconds(30);
        // a: 300 periods, 150 throttled; b restarted (counters fell): ignored this round.
        UsageObservation seen = round(history, t1, pod("a", t1, 100, 1300, 150, 110), pod("b", t1, 50, 10, 0, 1));
        assertThat(seen.throttledSince()).isEqualTo(t1);
        assertThat(seen.peakCpuCores()).isCloseTo(10.0 / 30, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void peaksAreTakenOverTheWindowAndTheObservedTimeIsCapped() {
        UsageHistory history = new UsageHistory();
        round(history, T0, pod("a", T0, 700, 0, 0, 0));
        Instant t = T0;
        UsageObservation seen = null;
        for (int i = 1; i <= 30; i++) {
            t = T0.plus(Duration.ofMinutes(i));
            seen = round(history, t, pod("a", t, 200, i * 600L, 0, i * 6.0));
        }
        assertThat(seen.peakMemoryBytes()).as("the 700Mi spike is older than the window").isEqualTo(200L * 1024 * 1024);
        assertThat(seen.observedFor()).isEqualTo(WINDOW);
        assertThat(seen.peakCpuCores()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aRoundIsDueOnlyAboutAnIntervalAfterTheLastAndObservingBetweenKeepsTheRates() {
        UsageHistory history = new UsageHistory();
        Duration interval = Duration.ofSeconds(30);
        assertThat(history.due(T0, interval)).isTrue();
        round(history, T0, pod("a", T0, 100, 0, 0, 0));
        assertThat(history.due(T0.plusSeconds(5), interval)).as("a pod event 5 s later").isFalse();
        assertThat(history.observe(T0.plusSeconds(5), WINDOW, 0, false).peakMemoryBytes()).isEqualTo(100L * 1024 * 1024);
        assertThat(history.due(T0.plusSeconds(28), interval)).as("a rescheduled reconcile, a little early").isTrue();
        Instant t1 = T0.plusSeconds(30);
        assertThat(round(history, t1, pod("a", t1, 100, 300, 150, 15)).throttledSince())
                .as("rates still come from the last real round").isEqualTo(t1);
    }

    @Test
    void roundsWithoutSamplesChangeNothingButTime() {
        UsageHistory history = new UsageHistory();
        UsageObservation seen = round(history, T0);
        assertThat(seen.peakMemoryBytes()).isEqualTo(-1);
        assertThat(seen.peakCpuCores()).isEqualTo(-1);
        assertThat(seen.observedFor()).isZero();
    }

    @Test
    void readsTheRealServersMetrics() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/server-metrics.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        PrometheusText metrics = PrometheusText.parse(text);
        assertThat(metrics.value("corral_cgroup_memory_usage_bytes")).hasValue(9.70596352E8);
        assertThat(metrics.value("corral_cgroup_cpu_periods")).hasValue(0.0);
        assertThat(metrics.value("corral_cgroup_cpu_throttled_periods")).hasValue(0.0);
        assertThat(metrics.value("process_cpu_seconds")).hasValue(42.43);
        assertThat(metrics.value("corral_http_requests")).as("labelled series parse too").isPresent();
        assertThat(metrics.value("no_such_metric")).isEmpty();
    }
}
