package dev.corral.server.http;

import dev.corral.server.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The real server over real HTTP: WSGI, static files, limits, malformed input, keep-alive. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpServerIT {
    @TempDir
    static Path temp;
    private RunningServer server;
    private Path bundle;

    @BeforeAll
    void start() throws Exception {
        bundle = Path.of(getClass().getResource("/bundles/pep3333").toURI());
        server = RunningServer.start(bundle, temp, "--transport", transport(), "--workers", "2", "--max-body-size", "64k",
                "--max-header-size", "8k", "--max-request-line", "1k", "--header-timeout", "1s");
    }

    /** The socket layer every test here runs on; {@link IoUringHttpServerIT} runs them all again on io_uring. */
    String transport() {
        return "epoll";
    }

    @AfterAll
    void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void answersWsgiRequestsWithCommonHeaders() throws Exception {
        HttpResponse<String> r = server.get("/list");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello");
        assertThat(r.headers().firstValue("content-length")).hasValue("5");
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain");
        assertThat(r.headers().firstValue("server")).hasValue("corral");
        assertThat(r.headers().firstValue("date").orElseThrow()).endsWith(" GMT");
    }

    @Test
    void environReflectsTheRealConnection() throws Exception {
        HttpResponse<String> r = server.get("/environ?x=1", "X-Trace", "abc");
        io.vertx.core.json.JsonObject env = new io.vertx.core.json.JsonObject(r.body());
        assertThat(env.getString("REMOTE_ADDR")).isEqualTo("127.0.0.1");
        assertThat(env.getString("SERVER_PORT")).isEqualTo(Integer.toString(server.port()));
        assertThat(env.getString("QUERY_STRING")).isEqualTo("x=1");
        assertThat(env.getString("HTTP_X_TRACE")).isEqualTo("abc");
        assertThat(env.getString("SERVER_PROTOCOL")).isEqualTo("HTTP/1.1");
    }

    @Test
    void headAnswersHeadersWithoutBody() throws Exception {
        String raw = server.raw("HEAD /list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));
        assertThat(raw).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("content-length: 5").doesNotContain("hello");
    }

    @Test
    void requestBodiesReachWsgiInputWhetherSizedOrChunked() throws Exception {
        HttpResponse<String> sized = server.send(HttpRequest.newBuilder(server.uri("/input"))
                .POST(HttpRequest.BodyPublishers.ofString("line one\nxyz\n")));
        io.vertx.core.json.JsonObject got = new io.vertx.core.json.JsonObject(sized.body());
        assertThat(got.getString("first")).isEqualTo("line one\n");
        assertThat(got.getString("two")).isEqualTo("xy");
        assertThat(got.getJsonArray("lines")).containsExactly("z\n");

        String chunked = server.raw("POST /input-iter HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "4\r\na\nb\n\r\n2\r\nc\n\r\n0\r\n\r\n", Duration.ofSeconds(5));
        assertThat(chunked).startsWith("HTTP/1.1 200").contains("[\"a\\n\", \"b\\n\", \"c\\n\"]");
    }

    @Test
    void streamedBodiesAreChunkedAndComplete() throws Exception {
        String raw = server.raw("GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));
        assertThat(raw).containsIgnoringCase("transfer-encoding: chunked");
        HttpResponse<String> r = server.get("/stream");
        assertThat(r.body()).isEqualTo("one two three");
        HttpResponse<String> write = server.get("/write");
        assertThat(write.body()).isEqualTo("written returned");
    }

    @Test
    void aStreamedBodyIsDeliveredOnceItsDeclaredLengthIsReached() throws Exception {
        // The generator keeps running after its last declared byte until /release: the client must not wait for it.
        String id = transport() + "-" + System.nanoTime();
        HttpResponse<String> r = server.http().send(HttpRequest.newBuilder(server.uri("/declared-then-wait?" + id))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("complete");
        assertThat(server.get("/release?" + id).statusCode()).isEqualTo(204);
        // The connection stays usable for the next request once the generator is done.
        assertThat(server.get("/list").body()).isEqualTo("hello");
    }

    @Test
    void everyByteValueOfABodyReachesTheApplicationUnchanged() throws Exception {
        byte[] all = new byte[3 * 256 + 7];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i * 7);
        }
        HttpResponse<byte[]> echoed = server.http().send(HttpRequest.newBuilder(server.uri("/input-bytes"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(all)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(echoed.body()).isEqualTo(all);
    }

    @Test
    void aLargeStreamArrivesWholeThroughBackpressure() throws Exception {
        // 40 MiB: far more than the responder lets queue up, so the worker must wait for the socket.
        HttpResponse<byte[]> r = server.getBytes("/big-stream?640");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().length).isEqualTo(640 * 65536);
        assertThat(r.body()[r.body().length - 1]).isEqualTo((byte) 'z');
    }

    @Test
    void aClientLeavingMidStreamFreesItsWorkerAndIsCounted() throws Exception {
        java.util.List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger workerLog = java.util.logging.Logger.getLogger("dev.corral.server.python.PythonWorker");
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        workerLog.addHandler(capture);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            // About 6 GiB if read to the end: the worker can only be blocked on backpressure when we leave.
            socket.getOutputStream().write("GET /big-stream?100000 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readNBytes(256 * 1024);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = server.admin("/metrics").body();
            assertThat(metrics).contains("corral_http_requests_total{route=\"wsgi\",status=\"499\"}")
                    .contains("corral_workers{state=\"busy\"} 0.0")
                    .contains("corral_http_requests_in_flight 0.0"); // admin requests are not application traffic
        });
        assertThat(server.get("/list").body()).isEqualTo("hello");
        workerLog.removeHandler(capture);
        // A client leaving is not the application failing: one INFO line, no traceback, nothing at ERROR.
        assertThat(logged).filteredOn(r -> r.getMessage().contains("ClientDisconnected") || r.getMessage().contains("disconnected"))
                .extracting(r -> r.getLevel().getName() + " " + r.getMessage())
                .singleElement().asString()
                .startsWith("INFO ").contains("disconnected before the response was done").contains("ClientDisconnected")
                .doesNotContain("Traceback");
    }

    @Test
    void http10ClientsGetAStreamedBodyEndedByTheClose() throws Exception {
        // HTTP/1.0 has no chunks: the body streams as it comes and the connection's close ends it,
        // even when the client asked to keep it alive (gathering it whole would hold it all in memory).
        String raw = server.raw("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", Duration.ofSeconds(5));
        assertThat(raw).startsWith("HTTP/1.0 200").doesNotContainIgnoringCase("content-length").doesNotContainIgnoringCase("chunked")
                .containsIgnoringCase("connection: close").endsWith("one two three");
    }

    @Test
    void fileWrapperBodiesAreSentFromTheFile() throws Exception {
        byte[] file = Files.readAllBytes(bundle.resolve("app.py"));
        HttpResponse<byte[]> r = server.getBytes("/file");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(file, 10, file.length));
    }

    @Test
    void applicationErrorsAre500WithoutAStackTrace() throws Exception {
        HttpResponse<String> r = server.get("/raise");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("The application failed").doesNotContain("Traceback").doesNotContain("KeyError");
        HttpResponse<String> protocol = server.get("/str-body");
        assertThat(protocol.statusCode()).isEqualTo(500);
        assertThat(server.get("/list").statusCode()).as("the worker survives").isEqualTo(200);
    }

    @Test
    void staticFilesAreServedWithTypesAndValidators() throws Exception {
        HttpResponse<String> css = server.get("/static/site.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.body()).isEqualTo("body { color: teal; }\n");
        assertThat(css.headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        String etag = css.headers().firstValue("etag").orElseThrow();
        String lastModified = css.headers().firstValue("last-modified").orElseThrow();

        assertThat(server.get("/static/site.css", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(server.get("/static/site.css", "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
        assertThat(server.get("/static/site.css", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
        assertThat(server.get("/static/").body()).isEqualTo("<h1>index</h1>\n");
        assertThat(server.get("/static/missing.css").statusCode()).isEqualTo(404);
    }

    @Test
    void aStaticFileAddedAfterA404IsServedAtOnce() throws Exception {
        Path late = bundle.resolve("static/late.txt");
        try {
            assertThat(server.get("/static/late.txt").statusCode()).isEqualTo(404);
            Files.writeString(late, "here now\n");
            // Misses are not cached: no stale 404 for the cache's freshness window.
            HttpResponse<String> found = server.get("/static/late.txt");
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.body()).isEqualTo("here now\n");
        } finally {
            Files.deleteIfExists(late);
        }
    }

    @Test
    void staticRangesAreHonoured() throws Exception {
        byte[] data = Files.readAllBytes(bundle.resolve("static/sub/data.bin"));
        HttpResponse<byte[]> part = server.getBytes("/static/sub/data.bin", "Range", "bytes=100-199");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("content-range")).hasValue("bytes 100-199/" + data.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(data, 100, 200));
        HttpResponse<byte[]> tail = server.getBytes("/static/sub/data.bin", "Range", "bytes=-10");
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(data, data.length - 10, data.length));
        HttpResponse<byte[]> beyond = server.getBytes("/static/sub/data.bin", "Range", "bytes=999999-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("content-range")).hasValue("bytes */" + data.length);
        assertThat(server.getBytes("/static/sub/data.bin").body()).isEqualTo(data);
    }

    @Test
    void largeStaticFilesGoFromDiskAndChangedSmallOnesAreServedFresh() throws Exception {
        Path large = bundle.resolve("static/large.bin");
        Path small = bundle.resolve("static/changing.txt");
        try {
            byte[] data = new byte[StaticFiles.INLINE_MAX * 3 + 17];
            new java.util.Random(7).nextBytes(data);
            Files.write(large, data);
            assertThat(server.getBytes("/static/large.bin").body()).isEqualTo(data);
            HttpResponse<byte[]> part = server.getBytes("/static/large.bin", "Range", "bytes=70000-70099");
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(data, 70000, 70100));

            Files.writeString(small, "first\n");
            assertThat(server.get("/static/changing.txt").body()).isEqualTo("first\n");
            Files.writeString(small, "second, longer\n");
            Thread.sleep(StaticFiles.FRESH_MILLIS + 200);
            // The in-memory copy is not served past the freshness window once the file changed.
            assertThat(server.get("/static/changing.txt").body()).isEqualTo("second, longer\n");
        } finally {
            Files.deleteIfExists(large);
            Files.deleteIfExists(small);
        }
    }

    @Test
    void staticPathsCannotLeaveTheMount() throws Exception {
        for (String path : new String[]{"/static/../app.py", "/static/%2e%2e/app.py", "/static/sub/..%2f..%2fapp.py", "/static/..%5capp.py"}) {
            String raw = server.raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));
            assertThat(raw).as(path).doesNotContain("CLOSED = []").doesNotStartWith("HTTP/1.1 200");
        }
        HttpResponse<String> post = server.send(HttpRequest.newBuilder(server.uri("/static/site.css")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
    }

    @Test
    void oversizedInputGetsTheRightStatus() throws Exception {
        byte[] big = new byte[65 * 1024];
        HttpResponse<String> body = server.send(HttpRequest.newBuilder(server.uri("/input")).POST(HttpRequest.BodyPublishers.ofByteArray(big)));
        assertThat(body.statusCode()).isEqualTo(413);

        String chunkedTooBig = server.raw("POST /input HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(big.length) + "\r\n" + "a".repeat(big.length) + "\r\n0\r\n\r\n", Duration.ofSeconds(5));
        assertThat(chunkedTooBig).startsWith("HTTP/1.1 413");

        String longUri = server.raw("GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n", Duration.ofSeconds(5));
        assertThat(longUri).matches("(?s)HTTP/1\\.[01] 414 .*request line is longer.*");

        String bigHeaders = server.raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n", Duration.ofSeconds(5));
        assertThat(bigHeaders).matches("(?s)HTTP/1\\.[01] 431 .*headers are larger.*");
        assertThat(server.admin("/metrics").body()).contains("corral_http_requests_total{route=\"rejected\",status=\"431\"}");
    }

    @Test
    void malformedRequestsGet400AndNoStackTrace() throws Exception {
        for (String garbage : new String[]{"GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nNo colon here\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"}) {
            String raw = server.raw(garbage, Duration.ofSeconds(5));
            assertThat(raw).as(garbage).matches("(?s)HTTP/1\\.[01] 400 .*malformed.*").doesNotContain("Exception").doesNotContain("at io.");
        }
        // An unknown protocol version is refused, never served as if it were HTTP/1.1.
        assertThat(server.raw("GET /list HTTP/9.9\r\n\r\n", Duration.ofSeconds(5))).matches("(?s)HTTP/\\S+ (400|501|505) .*").doesNotContain("hello");
        String badLength = server.raw("POST /input HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n", Duration.ofSeconds(5));
        assertThat(badLength).startsWith("HTTP/1.1 400");
        // A path that decodes to a NUL byte is refused as nginx refuses it; the application never sees it.
        assertThat(server.raw("GET /list%00.txt HTTP/1.1\r\nHost: x\r\n\r\n", Duration.ofSeconds(5)))
                .startsWith("HTTP/1.1 400").contains("NUL byte (%00)").doesNotContain("Exception");
    }

    @Test
    void keepAliveConnectionsCarryPipelinedRequestsInOrder() throws Exception {
        String three = "GET /list HTTP/1.1\r\nHost: x\r\n\r\n".repeat(2) + "GET /generator HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        String raw = server.raw(three, Duration.ofSeconds(5));
        assertThat(raw.split("HTTP/1.1 ", -1)).hasSize(4);
        assertThat(raw.indexOf("hello")).isLessThan(raw.lastIndexOf("hello"));
        assertThat(raw.lastIndexOf("hello")).isLessThan(raw.indexOf("201 Created"));
    }

    @Test
    void aClientThatTricklesHeadersIsCutOff() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /list HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            assertThat(in.read()).as("server closes the connection").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void metricsCountRequestsByStatusAndRoute() throws Exception {
        server.get("/list");
        server.get("/static/site.css");
        String metrics = server.admin("/metrics").body();
        assertThat(metrics).containsPattern("corral_http_requests_total\\{route=\"wsgi\",status=\"200\"} \\d+")
                .containsPattern("corral_http_requests_total\\{route=\"static\",status=\"200\"} \\d+")
                .contains("corral_http_request_duration_seconds_bucket")
                .contains("corral_workers{state=\"busy\"}")
                .contains("corral_worker_queue_capacity")
                .contains("corral_start_to_ready_seconds")
                .contains("jvm_memory_used_bytes")
                .contains("corral_network_transport_info{transport=\"" + transport() + "\"} 1.0");
        assertThat(server.admin("/readyz").statusCode()).isEqualTo(200);
        assertThat(server.admin("/nope").statusCode()).isEqualTo(404);
    }
}
