package dev.corral.server.budget;

import dev.corral.server.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Per-request budgets on the real server: each kind of overrun fails alone, with a clear answer. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BudgetIT {
    @TempDir
    static Path temp;
    private RunningServer server;

    @BeforeAll
    void start() throws Exception {
        Path bundle = Path.of(getClass().getResource("/bundles/budgets").toURI());
        server = RunningServer.start(bundle, temp, "--workers", "2", "--request-timeout", "1s", "--request-cpu", "0",
                "--request-memory", "0", "--budget-grace", "500ms");
    }

    @AfterAll
    void stop() throws InterruptedException {
        server.close();
    }

    private HttpResponse<String> timed(String path, List<Long> millis) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = server.get(path);
        millis.add((System.nanoTime() - start) / 1_000_000);
        return response;
    }

    @Test
    void aRequestPastItsTimeoutGets504AndTheWorkerServesOn() throws Exception {
        List<Long> millis = new ArrayList<>();
        HttpResponse<String> slept = timed("/sleep", millis);
        assertThat(slept.statusCode()).isEqualTo(504);
        assertThat(slept.body()).contains("exceeded its time budget (1.00 s)");
        HttpResponse<String> spun = timed("/spin", millis);
        assertThat(spun.statusCode()).isEqualTo(504);
        assertThat(millis).allSatisfy(ms -> assertThat(ms).isBetween(1000L, 3000L));
        System.out.println("[figures] time budget 1 s: answered after " + millis + " ms");
        assertThat(server.get("/fast").body()).isEqualTo("fast");
        assertThat(server.admin("/metrics").body()).containsPattern("corral_budget_breaches_total\\{kind=\"time\"} [1-9]");
    }

    @Test
    void cpuAndMemoryOverrunsGet503NamingTheBudget() throws Exception {
        List<Long> millis = new ArrayList<>();
        HttpResponse<String> cpu = timed("/spin-cpu", millis);
        assertThat(cpu.statusCode()).isEqualTo(503);
        assertThat(cpu.body()).contains("exceeded its CPU budget (0.300 s)");

        HttpResponse<String> hog = timed("/hog", millis);
        assertThat(hog.statusCode()).isEqualTo(503);
        assertThat(hog.body()).contains("exceeded its memory budget (64 MiB allocated)");
        System.out.println("[figures] CPU budget 300 ms, memory budget 64 MiB: answered after " + millis + " ms");
        assertThat(millis.get(0)).isLessThan(2000);

        HttpResponse<String> memoryError = server.get("/memory-error");
        assertThat(memoryError.statusCode()).isEqualTo(503);
        assertThat(memoryError.body()).contains("ran out of memory");
        String metrics = server.admin("/metrics").body();
        assertThat(metrics).containsPattern("corral_budget_breaches_total\\{kind=\"cpu\"} [1-9]")
                .containsPattern("corral_budget_breaches_total\\{kind=\"memory\"} [1-9]");
    }

    @Test
    void codeThatIgnoresInterruptsIsAnsweredAtOnceAndItsInterpreterReplaced() throws Exception {
        List<Long> millis = new ArrayList<>();
        HttpResponse<String> stuck = timed("/bigpow", millis);
        assertThat(stuck.statusCode()).isEqualTo(504);
        // 300 ms budget + 500 ms grace + one tick; nowhere near the seconds pow() takes.
        assertThat(millis.get(0)).isLessThan(2500);
        System.out.println("[figures] uninterruptible builtin, 300 ms budget + 500 ms grace: answered after " + millis + " ms");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(server.admin("/metrics").body())
                .contains("corral_budget_cancellations_total{kind=\"time\"} 1.0")
                .contains("corral_worker_replacements_total{reason=\"cancelled\"} 1.0"));
        for (int i = 0; i < 4; i++) {
            assertThat(server.get("/fast").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void innocentRequestsSeeNoErrorWhileOthersOverrun() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        Thread innocent = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                try {
                    long start = System.nanoTime();
                    statuses.add(server.get("/fast").statusCode());
                    latencies.add((System.nanoTime() - start) / 1000);
                } catch (Exception e) {
                    statuses.add(-1);
                }
            }
        });
        try {
            for (String bad : new String[]{"/spin", "/hog", "/spin-cpu", "/sleep"}) {
                assertThat(server.get(bad).statusCode()).as(bad).isIn(503, 504);
            }
        } finally {
            running.set(false);
            innocent.join();
        }
        assertThat(statuses).isNotEmpty().allSatisfy(status -> assertThat(status).isEqualTo(200));
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long p50 = sorted.get(sorted.size() / 2);
        long p99 = sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1));
        System.out.println("[figures] innocent requests during 4 overruns: " + sorted.size() + " requests, 0 errors, p50 "
                + p50 + " us, p99 " + p99 + " us");
    }

    @Test
    void workersAreRecycledAfterTheirQuotaOfRequests(@TempDir Path other) throws Exception {
        Path bundle = Path.of(getClass().getResource("/bundles/budgets").toURI());
        try (RunningServer recycling = RunningServer.start(bundle, other, "--workers", "1", "--max-requests", "3")) {
            List<String> counts = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                counts.add(recycling.get("/served").body());
            }
            // A module global counts requests per interpreter: it starts again in each fresh one.
            assertThat(counts).containsExactly("1", "2", "3", "1", "2", "3", "1");
            assertThat(recycling.admin("/metrics").body()).contains("corral_worker_replacements_total{reason=\"recycled\"} 2.0");
        }
    }
}
