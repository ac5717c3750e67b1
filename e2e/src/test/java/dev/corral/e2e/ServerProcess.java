package dev.corral.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Corral server started from the packaged distribution ({@code bin/corral-server}) as a real process. */
final class ServerProcess implements AutoCloseable {
    static final Path DIST = Path.of(System.getProperty("corral.server.dist", "../server-image/target/corral-server"));

    final Process process;
    final int port;
    final int adminPort;
    final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerProcess(Process process, int port, int adminPort, Path log) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
    }

    /** Starts the launcher on free loopback ports with the given bundle and extra flags. */
    static ServerProcess launch(Path bundle, Path logDir, String... extra) throws IOException {
        return launch(bundle, logDir, Map.of(), extra);
    }

    /** As {@link #launch(Path, Path, String...)}, with extra environment variables for the launcher. */
    static ServerProcess launch(Path bundle, Path logDir, Map<String, String> env, String... extra) throws IOException {
        return launchIn(null, bundle, logDir, env, extra);
    }

    /** Starts the launcher born inside a cgroup (null: wherever this JVM is). */
    static ServerProcess launchIn(PodCgroup cgroup, Path bundle, Path logDir, Map<String, String> env, String... extra) throws IOException {
        int port = freePort();
        int adminPort = freePort();
        List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/corral-server").toString(),
                "--bundle", bundle.toString(), "--host", "127.0.0.1", "--admin-host", "127.0.0.1",
                "--port", Integer.toString(port), "--admin-port", Integer.toString(adminPort),
                "--temp-dir", logDir.resolve("tmp").toString()));
        command.addAll(List.of(extra));
        return start(cgroup == null ? command : cgroup.wrap(command), logDir, port, adminPort, env);
    }

    /** Starts an arbitrary command line (e.g. java without the JIT flags) with output to a log file. */
    static ServerProcess start(List<String> command, Path logDir, int port, int adminPort, Map<String, String> env) throws IOException {
        Path log = Files.createTempFile(logDir, "server-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new ServerProcess(builder.start(), port, adminPort, log);
    }

    /**
     * A port free now, below Linux's ephemeral range (32768-60999): a port the kernel hands out for
     * port 0 is one it may also give an outgoing connection (the cluster's, an HTTP client's) before
     * the server binds it, which failed CI once with "Address already in use".
     */
    static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = random.nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket(candidate, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port in 20000-31999 after 100 tries");
    }

    /** Waits until /readyz answers 200, failing fast with the log if the process dies first. */
    ServerProcess awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + " before ready:\n" + log());
            }
            try {
                if (admin("/readyz").statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("server not ready within " + timeout + ":\n" + log());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> admin(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    java.util.concurrent.CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM, as Kubernetes sends it. */
    void terminate() {
        process.destroy();
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("server still running after " + timeout);
        }
        return process.exitValue();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
