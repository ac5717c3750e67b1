package dev.corral.server.http;

import dev.corral.server.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** A route capped with maxConcurrent waits in its own line, so it never takes every worker. */
class LaneIT {
    @TempDir
    Path temp;

    @Test
    void aCappedSlowRouteLeavesWorkersForEverythingElse() throws Exception {
        Path bundle = Path.of(getClass().getResource("/bundles/budgets").toURI());
        try (RunningServer server = RunningServer.start(bundle, temp, "--workers", "2")) {
            for (int i = 0; i < 20; i++) {
                server.get("/fast");
            }
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                slow.add(CompletableFuture.supplyAsync(() -> get(server, "/slow?1")));
            }
            Thread.sleep(200);
            long worstFastMillis = 0;
            int fastCount = 0;
            while (!slow.stream().allMatch(CompletableFuture::isDone)) {
                long t = System.nanoTime();
                assertThat(server.get("/fast").statusCode()).isEqualTo(200);
                worstFastMillis = Math.max(worstFastMillis, (System.nanoTime() - t) / 1_000_000);
                fastCount++;
            }
            long slowMillis = (System.nanoTime() - start) / 1_000_000;
            for (CompletableFuture<HttpResponse<String>> f : slow) {
                assertThat(f.join().statusCode()).isEqualTo(200);
            }
            // One at a time: three one-second requests take three seconds, however many workers there are.
            assertThat(slowMillis).isGreaterThanOrEqualTo(2900);
            assertThat(fastCount).isGreaterThan(10);
            assertThat(worstFastMillis).as("fast requests never waited for a slow one").isLessThan(900);
            System.out.println("[figures] lane: 3 capped slow requests took " + slowMillis + " ms; " + fastCount
                    + " fast requests meanwhile, worst " + worstFastMillis + " ms");
        }
    }

    private static HttpResponse<String> get(RunningServer server, String path) {
        try {
            return server.get(path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
