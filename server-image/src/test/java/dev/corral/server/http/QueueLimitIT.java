package dev.corral.server.http;

import dev.corral.server.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Backpressure at the door: with every worker busy and the queue full, or its wait too long, new requests get 503 at once. */
class QueueLimitIT {
    @TempDir
    Path temp;

    @Test
    void aFullQueueAnswers503WithRetryAfterInsteadOfWaiting() throws Exception {
        Path bundle = Path.of(getClass().getResource("/bundles/pep3333").toURI());
        try (RunningServer server = RunningServer.start(bundle, temp, "--workers", "1", "--queue-size", "1")) {
            HttpResponse<String> refused = refusedBehindABusyWorkerAndOneWaiting(server);
            assertThat(refused.body()).contains("at capacity");
            assertThat(server.admin("/metrics").body()).contains("corral_requests_rejected_total{reason=\"queue_full\"} 1.0");
        }
    }

    @Test
    void aRequestThatWouldWaitLongerThanMaxQueueWaitGets503WhileTheQueueHasRoom() throws Exception {
        Path bundle = Path.of(getClass().getResource("/bundles/pep3333").toURI());
        try (RunningServer server = RunningServer.start(bundle, temp, "--workers", "1", "--max-queue-wait", "100ms", "--queue-wait-grace", "0s")) {
            // Teaches the server that a request takes about a second (at least 1/8 of one, were there earlier requests):
            // with one waiting, the next would wait about a second, 100 ms allowed, while the queue holds 512.
            assertThat(server.get("/sleep?1").statusCode()).isEqualTo(200);
            refusedBehindABusyWorkerAndOneWaiting(server);
            assertThat(server.admin("/metrics").body()).contains("corral_requests_rejected_total{reason=\"queue_wait\"} 1.0")
                    .doesNotContain("reason=\"queue_full\"");
        }
    }

    /**
     * Occupies the one worker (a 3 s request) and queues one request behind it (always admitted: nobody
     * waits yet), then sends one more, which must be refused at once; the first two are still served.
     */
    private static HttpResponse<String> refusedBehindABusyWorkerAndOneWaiting(RunningServer server) throws Exception {
        CompletableFuture<HttpResponse<String>> running = CompletableFuture.supplyAsync(() -> get(server, "/sleep?3"));
        // The server's own gauges say when the worker is busy and a request waits, not a guessed sleep.
        awaitMetric(server, "corral_workers{state=\"busy\"} 1.0");
        CompletableFuture<HttpResponse<String>> queued = CompletableFuture.supplyAsync(() -> get(server, "/sleep?0.1"));
        awaitMetric(server, "corral_worker_queue_depth 1.0");

        long start = System.nanoTime();
        HttpResponse<String> refused = server.get("/list");
        long refusedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
        assertThat(refusedMillis).as("refused without waiting for the busy worker").isLessThan(1000);
        assertThat(List.of(running.join().statusCode(), queued.join().statusCode())).containsExactly(200, 200);
        return refused;
    }

    private static void awaitMetric(RunningServer server, String line) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> server.admin("/metrics").body().contains(line));
    }

    private static HttpResponse<String> get(RunningServer server, String path) {
        try {
            return server.get(path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
