package dev.corral.server.lifecycle;

import dev.corral.server.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The manifest's warm-up requests go through the real port before the server reports ready. */
class WarmUpIT {
    @TempDir
    Path temp;

    @Test
    void warmUpRequestsAreServedBeforeReady() throws Exception {
        Path bundle = Path.of(getClass().getResource("/bundles/warmup").toURI());
        try (RunningServer server = RunningServer.start(bundle, temp, "--workers", "1")) {
            // start() returned, so the server is ready: the one worker has seen every warm-up request.
            assertThat(server.server().readiness().state()).isEqualTo(dev.corral.server.admin.Readiness.State.READY);
            assertThat(server.get("/count").body()).isEqualTo("50");
            assertThat(server.admin("/metrics").body())
                    .contains("corral_http_requests_total{route=\"wsgi\",status=\"200\"} 51.0")
                    .containsPattern("corral_start_to_ready_seconds \\d+\\.\\d+");
        }
    }
}
