package dev.corral.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged server as operators run it: a process with a launcher, signals and exit codes. */
class ServerProcessIT {
    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path work;

    private static Path bundle(String name) throws URISyntaxException {
        return Path.of(ServerProcessIT.class.getResource("/bundles/" + name).toURI());
    }

    private static Path example(String name) {
        return Path.of(System.getProperty("corral.examples", "../examples")).resolve(name).toAbsolutePath();
    }

    @Test
    void servesTheHelloExampleWithTheJitOnAndReportsMetrics() throws Exception {
        try (ServerProcess server = ServerProcess.launch(example("hello"), work).awaitReady(START)) {
            HttpResponse<String> response = server.get("/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("Hello from Corral!\n");
            assertThat(response.headers().firstValue("date")).isPresent();

            String metrics = server.admin("/metrics").body();
            assertThat(metrics).contains("corral_http_requests_total{route=\"wsgi\",status=\"200\"} 1.0")
                    .contains("corral_python_runtime_info{implementation=\"GraalVM CE\"} 1.0")
                    .contains("process_resident_memory_bytes");
            assertThat(server.admin("/healthz").statusCode()).isEqualTo(200);
            // The build's AOT cache matches the packaged jars and runtime: a stale one is ignored by the JVM.
            assertThat(server.log()).contains("native epoll transport").contains("JIT-compiled")
                    .containsPattern("JVM: AOT cache \\S+corral\\.aot in use");
        }
    }

    @Test
    void servesWithoutAWritableHomeAsOnAReadOnlyRootFilesystem() throws Exception {
        assertThat(ServerProcess.DIST.resolve("resources/python")).as("GraalPy resources pre-copied into the distribution").isDirectory();
        // /dev/null as home: nothing can be unpacked or cached there, as in a read-only container.
        try (ServerProcess server = ServerProcess.launch(example("hello"), work, Map.of("JAVA_OPTS", "-Duser.home=/dev/null"))
                .awaitReady(START)) {
            assertThat(server.get("/").body()).isEqualTo("Hello from Corral!\n");
        }
    }

    @Test
    void sigtermTurnsReadinessOffFinishesInFlightRequestsAndExitsZero() throws Exception {
        try (ServerProcess server = ServerProcess.launch(bundle("slow"), work, "--drain-delay", "1s", "--drain-timeout", "20s")
                .awaitReady(START)) {
            CompletableFuture<HttpResponse<String>> inFlight = server.getAsync("/slow?2");
            Thread.sleep(500);
            server.terminate();
            Thread.sleep(300);
            assertThat(server.admin("/readyz").statusCode()).as("readiness during drain").isEqualTo(503);

            HttpResponse<String> finished = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.body()).isEqualTo("finished\n");
            assertThat(server.awaitExit(Duration.ofSeconds(40))).isZero();
            assertThat(server.log()).contains("draining").contains("drained; exiting");
        }
    }

    @Test
    void aBundleThatFailsToImportExits66WithThePythonTraceback() throws Exception {
        try (ServerProcess server = ServerProcess.launch(bundle("broken"), work)) {
            assertThat(server.awaitExit(START)).isEqualTo(66);
            assertThat(server.log()).contains("Traceback (most recent call last)").contains("ZeroDivisionError")
                    .contains("cannot import app:application");
        }
    }

    @Test
    void anInvalidSettingExits64NamingIt() throws Exception {
        try (ServerProcess server = ServerProcess.launch(example("hello"), work, "--max-body-size", "lots")) {
            assertThat(server.awaitExit(Duration.ofSeconds(60))).isEqualTo(64);
            assertThat(server.log()).contains("--max-body-size (CORRAL_MAX_BODY_SIZE) is 'lots'");
        }
    }

    @Test
    void productionModeRefusesToRunPythonInterpreted() throws Exception {
        // The same jars on a plain JDK, without GraalVM's compiler on the module path: GraalPy would silently interpret.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", ServerProcess.DIST.resolve("lib").toAbsolutePath() + "/*",
                "dev.corral.server.Main", "--bundle", example("hello").toString(), "--host", "127.0.0.1",
                "--port", "0", "--admin-port", "0", "--temp-dir", work.resolve("tmp").toString());
        try (ServerProcess server = ServerProcess.start(command, work, 0, 0, Map.of())) {
            assertThat(server.awaitExit(START)).isEqualTo(69);
            assertThat(server.log()).contains("Python runtime is 'Interpreted'").contains("--mode development");
        }
    }
}
