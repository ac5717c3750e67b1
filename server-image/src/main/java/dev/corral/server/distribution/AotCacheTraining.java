package dev.corral.server.distribution;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the distribution's AOT cache ({@code aot/corral.aot}) at image build time: starts the
 * distribution's own launcher on a small training application with {@code -XX:AOTCacheOutput}, sends it
 * requests for a while, and stops it; the JVM writes the cache as it exits. The cache holds the classes
 * start-up loads, already parsed and linked (JEP 483), so it serves any bundle: what it saves is
 * GraalPy's and the server's own start-up, not the app's. It holds no method profiles (JEP 515): the
 * training app's would steer the JIT for every bundle.
 *
 * <p>It must run where the distribution will stay: the JVM checks the class path and the runtime
 * against the cache and ignores a cache that does not match (the launcher then starts as without one).
 */
public final class AotCacheTraining {
    static final String CACHE = "aot/corral.aot";

    private static final String TRAINING_APP = """
            import json

            def application(environ, start_response):
                path = environ['PATH_INFO']
                if path == '/':
                    start_response('200 OK', [('Content-Type', 'text/plain')])
                    return [b'trained']
                if path == '/json':
                    body = json.dumps({'query': environ.get('QUERY_STRING', ''), 'items': [1, 2, 3]}).encode()
                    start_response('200 OK', [('Content-Type', 'application/json')])
                    return [body]
                if path == '/echo':
                    data = environ['wsgi.input'].read(int(environ.get('CONTENT_LENGTH') or 0))
                    start_response('200 OK', [('Content-Type', 'application/octet-stream')])
                    return [data]
                if path == '/stream':
                    start_response('200 OK', [('Content-Type', 'text/plain')])
                    return (b'chunk %d\\n' % i for i in range(3))
                start_response('404 Not Found', [('Content-Type', 'text/plain')])
                return [b'no such path']
            """;

    private static final List<String> PATHS = List.of("/", "/json?a=1&b=two", "/echo", "/stream", "/missing");

    private AotCacheTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: AotCacheTraining DIST_DIR [TRAINING_SECONDS, 0 = no cache]");
            System.exit(64);
        }
        try {
            train(Path.of(args[0]).toAbsolutePath(), Duration.ofSeconds(args.length == 2 ? Long.parseLong(args[1]) : 20));
        } catch (TrainingFailed e) {
            System.err.println("AOT training: " + e.getMessage());
            System.exit(70);
        }
    }

    private static void train(Path dist, Duration load) throws IOException, InterruptedException {
        Path cache = dist.resolve(CACHE);
        Files.createDirectories(cache.getParent());
        // The launcher uses the cache whenever the file exists; training must start without one, and a
        // cache left from older jars would only make every start print a mismatch.
        Files.deleteIfExists(cache);
        if (load.isZero()) {
            System.out.println("AOT cache left out (0 training seconds): the server starts about twice as slowly");
            return;
        }
        Path bundle = Files.createTempDirectory("corral-aot-training");
        Path app = Files.writeString(bundle.resolve("app.py"), TRAINING_APP);
        Path log = cache.resolveSibling("training.log");
        int port = freePort();
        int adminPort = freePort();

        ProcessBuilder launcher = new ProcessBuilder("sh", dist.resolve("bin/corral-server").toString(),
                "--bundle", bundle.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--admin-host", "127.0.0.1", "--admin-port", Integer.toString(adminPort),
                "--workers", "2", "--drain-delay", "0s", "--idle-heap-release", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // Classes only, no method profiles (JEP 515): the training app's profiles left Bottle at 3-6k req/s
        // after 144 s of load against 8-12k without them, and did not shorten start-up (hello 5.4-5.8 s either way).
        launcher.environment().put("JAVA_OPTS", "-XX:AOTCacheOutput=" + cache + " -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining");
        long started = System.nanoTime();
        Process server = launcher.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            awaitReady(http, adminPort, server, Duration.ofMinutes(3), log);
            long answered = sendLoad(http, port, load);
            System.out.printf("AOT training: ready after %.1f s, %d requests in %d s%n",
                    (System.nanoTime() - started) / 1e9, answered, load.toSeconds());
            server.destroy();   // SIGTERM: the server drains and the JVM writes the cache while exiting
            if (!server.waitFor(5, TimeUnit.MINUTES)) {
                fail("the training server did not exit within 5 minutes; see " + log);
            }
        } finally {
            server.destroyForcibly();
            Files.delete(app);
            Files.delete(bundle);
        }
        if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
            fail("the JVM wrote no AOT cache at " + cache + "; see " + log);
        }
        System.out.printf("AOT cache of %d MiB written to %s in %.1f s%n", Files.size(cache) >> 20, cache,
                (System.nanoTime() - started) / 1e9);
    }

    private static void awaitReady(HttpClient http, int adminPort, Process server, Duration limit, Path log)
            throws InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/readyz"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("the training server exited with status " + server.exitValue() + "; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        fail("the training server was not ready within " + limit.toSeconds() + " s; see " + log);
    }

    /** Requests every training path from a few client threads until {@code load} has passed; returns how many were answered. */
    private static long sendLoad(HttpClient http, int port, Duration load) throws InterruptedException {
        AtomicLong answered = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        long end = System.nanoTime() + load.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            clients.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; System.nanoTime() < end; i++) {
                    String path = PATHS.get(i % PATHS.size());
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(30));
                    if (path.equals("/echo")) {
                        request.POST(HttpRequest.BodyPublishers.ofString("payload " + i));
                    }
                    try {
                        int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                        answered.incrementAndGet();
                        if (status != (path.equals("/missing") ? 404 : 200)) {
                            wrong.incrementAndGet();
                        }
                    } catch (IOException e) {
                        wrong.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread client : clients) {
            client.join();
        }
        if (wrong.get() > 0) {
            fail(wrong.get() + " training requests failed or got an unexpected status");
        }
        return answered.get();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void fail(String message) {
        throw new TrainingFailed(message);
    }

    /** Training could not produce a cache; the build fails with this message. */
    private static final class TrainingFailed extends RuntimeException {
        TrainingFailed(String message) {
            super(message);
        }
    }
}
