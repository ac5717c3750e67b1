package dev.corral.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Corral's containment promise on this machine's real cgroups: each server process is a pod with its
 * own memory limit and CPU quota. A request that blows through the pod's memory is OOM-killed by the
 * kernel inside that pod alone; with a per-request budget it is stopped first and the pod lives on.
 */
class CgroupContainmentIT {
    private static final long POD_MEMORY = 1L << 30;
    private static final double POD_CPU = 1.0;
    private static final Duration START = Duration.ofSeconds(180);
    /** The heap may outgrow the cgroup, so that the kernel, not the JVM, is what stops an unbudgeted hog. */
    private static final Map<String, String> JVM = Map.of("JAVA_OPTS", "-Xmx3g");

    @TempDir
    Path work;

    @BeforeAll
    static void requireWritableCgroups() {
        PodCgroup.assumeAvailable();
    }

    private static Path hogBundle() throws URISyntaxException {
        return Path.of(CgroupContainmentIT.class.getResource("/bundles/hog").toURI());
    }

    @Test
    void withoutABudgetTheKernelOomKillsThatPodAloneWhileTheOtherAnswersEveryRequest() throws Exception {
        try (PodCgroup podA = PodCgroup.create("a", POD_MEMORY, POD_CPU);
             PodCgroup podB = PodCgroup.create("b", POD_MEMORY, POD_CPU);
             ServerProcess a = ServerProcess.launchIn(podA, hogBundle(), work, JVM,
                     "--request-memory", "0", "--request-timeout", "0", "--request-cpu", "0");
             ServerProcess b = ServerProcess.launchIn(podB, hogBundle(), work, JVM)) {
            a.awaitReady(START);
            b.awaitReady(START);

            SteadyLoad.Result onB;
            long killedAfterMillis;
            try (SteadyLoad load = SteadyLoad.start(b, "/", 2)) {
                Thread.sleep(1000);
                long start = System.nanoTime();
                assertThatThrownBy(() -> a.get("/hog")).as("pod A dies under the request").isInstanceOf(IOException.class);
                assertThat(a.awaitExit(Duration.ofSeconds(60))).as("killed by SIGKILL").isEqualTo(137);
                killedAfterMillis = (System.nanoTime() - start) / 1_000_000;
                Thread.sleep(1000);
                onB = load.stop();
            }
            assertThat(podA.oomKills()).as("the kernel's OOM killer, in pod A's cgroup").isGreaterThanOrEqualTo(1);
            assertThat(podB.oomKills()).isZero();
            assertThat(onB.errors()).as("pod B's failures: %s", onB.failures()).isZero();
            assertThat(onB.requests()).isGreaterThan(20);
            assertThat(b.get("/").statusCode()).isEqualTo(200);
            System.out.println("[figures] unbudgeted hog: pod A OOM-killed " + killedAfterMillis + " ms after the request; pod B under load meanwhile: " + onB);
        }
    }

    @Test
    void withABudgetTheHogGets503AndThePodAndItsOtherRequestsLiveOn() throws Exception {
        try (PodCgroup podA = PodCgroup.create("a", POD_MEMORY, POD_CPU);
             ServerProcess a = ServerProcess.launchIn(podA, hogBundle(), work, JVM,
                     // 5 s, not 2: on a just-started pod the hog's 256 allocations of 1 MiB once took over 2 s
                     // (CI, cold JIT), so the time budget fired before the memory budget.
                     "--request-memory", "256m", "--request-timeout", "5s")) {
            a.awaitReady(START);
            SteadyLoad.Result onA;
            HttpResponse<String> hog;
            HttpResponse<String> spin;
            try (SteadyLoad load = SteadyLoad.start(a, "/", 1)) {
                Thread.sleep(500);
                hog = a.get("/hog");
                spin = a.get("/spin");
                Thread.sleep(500);
                onA = load.stop();
            }
            assertThat(hog.statusCode()).isEqualTo(503);
            assertThat(hog.body()).contains("exceeded its memory budget (256 MiB allocated)");
            assertThat(spin.statusCode()).isEqualTo(504);
            assertThat(spin.body()).contains("exceeded its time budget");
            assertThat(a.process.isAlive()).isTrue();
            assertThat(podA.oomKills()).isZero();
            assertThat(onA.errors()).as("pod A's other requests: %s", onA.failures()).isZero();
            assertThat(a.admin("/readyz").statusCode()).isEqualTo(200);
            String metrics = a.admin("/metrics").body();
            assertThat(metrics).contains("corral_budget_breaches_total{kind=\"memory\"} 1.0")
                    .contains("corral_budget_breaches_total{kind=\"time\"} 1.0")
                    .contains("corral_cgroup_memory_limit_bytes 1.073741824E9")
                    .contains("corral_cgroup_cpu_quota_cores 1.0")
                    .contains("corral_cgroup_oom_kills_total 0.0");
            System.out.println("[figures] budgeted hog and spin in pod A (peak cgroup memory now " + (podA.memoryUsage() >> 20)
                    + " MiB): other requests to pod A meanwhile: " + onA);
        }
    }
}
