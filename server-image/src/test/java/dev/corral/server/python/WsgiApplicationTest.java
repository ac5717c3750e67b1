package dev.corral.server.python;

import dev.corral.server.budget.RequestBudget;
import dev.corral.server.bundle.Bundle;
import dev.corral.server.wsgi.EnvironPairs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The WSGI driver on real GraalPy, against a bundle with one route per PEP 3333 behaviour. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WsgiApplicationTest {
    @TempDir
    static Path temp;
    private PythonRuntime runtime;
    private WsgiApplication app;
    private Path bundleRoot;

    @BeforeAll
    void load() throws Exception {
        runtime = new PythonRuntime();
        bundleRoot = Path.of(getClass().getResource("/bundles/pep3333").toURI());
        Bundle bundle = Bundle.open(bundleRoot, temp.resolve("work"));
        app = WsgiApplication.load(runtime, bundle, temp, Map.of("CORRAL_TEST_PASSED", "yes"));
    }

    @AfterAll
    void close() {
        app.close();
        runtime.close();
    }

    private RecordingChannel call(String path) {
        return call(path, "", null);
    }

    private RecordingChannel call(String path, String query, byte[] body) {
        RecordingChannel channel = new RecordingChannel();
        EnvironPairs environ = EnvironPairs.of("REQUEST_METHOD", body == null ? "GET" : "POST", "SCRIPT_NAME", "", "PATH_INFO", path,
                "QUERY_STRING", query, "SERVER_NAME", "localhost", "SERVER_PORT", "8080", "SERVER_PROTOCOL", "HTTP/1.1",
                "HTTP_X_TEST", "t\u00e9", "wsgi.url_scheme", "http");
        WsgiCall call = new WsgiCall(environ, body, channel, RequestBudget.UNLIMITED, "default");
        app.call(call, new ActiveCall(call, app));
        return channel;
    }

    @Test
    void environHasTheCgiKeysAndWsgiVariables() {
        RecordingChannel r = call("/environ", "a=1", null);
        assertThat(r.events).containsExactly("complete");
        JsonObject env = new JsonObject(r.text());
        assertThat(env.getString("PATH_INFO")).isEqualTo("/environ");
        assertThat(env.getString("QUERY_STRING")).isEqualTo("a=1");
        assertThat(env.getString("HTTP_X_TEST")).isEqualTo("t\u00e9");
        assertThat(env.getString("wsgi.url_scheme")).isEqualTo("http");
        assertThat(env.getJsonArray("wsgi.version")).isEqualTo(new JsonArray().add(1).add(0));
        assertThat(env.getBoolean("wsgi.multithread")).isFalse();
        assertThat(env.getBoolean("wsgi.multiprocess")).isTrue();
        assertThat(env.getBoolean("wsgi.run_once")).isFalse();
        assertThat(env.getBoolean("has_file_wrapper")).isTrue();
    }

    @Test
    void wsgiInputReadsTheRealBodyByLineAndBySize() {
        byte[] body = "first line\nabcdef\nlast\n".getBytes(StandardCharsets.UTF_8);
        JsonObject got = new JsonObject(call("/input", "", body).text());
        assertThat(got.getString("first")).isEqualTo("first line\n");
        assertThat(got.getString("two")).isEqualTo("ab");
        assertThat(got.getJsonArray("lines")).containsExactly("cdef\n", "last\n");
        assertThat(got.getString("eof")).isEmpty();
        JsonObject iterated = new JsonObject(call("/input-iter", "", "x\ny\n".getBytes(StandardCharsets.UTF_8)).text());
        assertThat(iterated.getJsonArray("lines")).containsExactly("x\n", "y\n");
        assertThat(new JsonObject(call("/input", "", null).text()).getString("first")).isEmpty();
    }

    @Test
    void listBodiesComeBackWholeInOneHandOff() {
        RecordingChannel r = call("/list");
        assertThat(r.events).containsExactly("complete");
        assertThat(r.status).isEqualTo("200 OK");
        assertThat(r.text()).isEqualTo("hello");
    }

    @Test
    void otherIterablesStreamChunkByChunkSkippingEmptyOnesAndAreClosed() {
        RecordingChannel r = call("/stream");
        assertThat(r.events).containsExactly("start", "write", "write", "write", "finish");
        assertThat(r.text()).isEqualTo("one two three");
        assertThat(call("/closed").text()).contains("\"stream\"");

        RecordingChannel g = call("/generator");
        assertThat(g.status).isEqualTo("201 Created");
        assertThat(g.header("X-Kind")).isEqualTo("generator");
        assertThat(g.text()).isEqualTo("ab");
    }

    @Test
    void theWriteCallableSendsHeadersFirstThenEverythingInOrder() {
        RecordingChannel r = call("/write");
        assertThat(r.events).containsExactly("start", "write", "write", "finish");
        assertThat(r.text()).isEqualTo("written returned");
    }

    @Test
    void excInfoReplacesHeadersNotYetSent() {
        RecordingChannel r = call("/exc-before-headers");
        assertThat(r.status).isEqualTo("500 Internal Server Error");
        assertThat(r.text()).isEqualTo("error page");
    }

    @Test
    void excInfoAfterHeadersReRaisesTheApplicationsError() {
        assertThatThrownBy(() -> call("/exc-after-headers"))
                .isInstanceOf(PolyglotException.class).hasMessageContaining("too late");
    }

    @Test
    void protocolViolationsRaiseClearErrors() {
        assertThatThrownBy(() -> call("/twice")).hasMessageContaining("start_response() called a second time");
        assertThatThrownBy(() -> call("/str-body")).hasMessageContaining("WSGI bodies are bytes");
        assertThatThrownBy(() -> call("/no-start")).hasMessageContaining("without calling start_response()");
        assertThatThrownBy(() -> call("/bad-status")).hasMessageContaining("200 OK");
        assertThatThrownBy(() -> call("/hop-by-hop")).hasMessageContaining("hop-by-hop header 'Connection'");
        assertThatThrownBy(() -> call("/nul-header")).hasMessageContaining("the value of header 'X-Bad' contains a line break");
    }

    @Test
    void applicationErrorsCarryTheirPythonTraceback() {
        try {
            call("/raise");
        } catch (PolyglotException e) {
            String traceback = app.describe(e);
            assertThat(traceback).contains("Traceback (most recent call last)").contains("KeyError: 'boom'").contains("app.py");
            return;
        }
        throw new AssertionError("the application's KeyError did not reach Java");
    }

    @Test
    void fileWrapperOverARealFileIsHandedToSendfileAtItsPosition() throws Exception {
        RecordingChannel r = call("/file");
        assertThat(r.events).containsExactly("sendFile");
        assertThat(r.fileBytes).isEqualTo(java.nio.file.Files.readAllBytes(bundleRoot.resolve("app.py")));
        assertThat(r.fileOffset).isEqualTo(10);

        RecordingChannel blocks = call("/filelike");
        assertThat(blocks.events).containsExactly("start", "write", "write", "write", "finish");
        assertThat(blocks.body.size()).isEqualTo(10000);
    }

    @Test
    void aGoneClientStopsTheStreamWithClientDisconnected() {
        RecordingChannel channel = new RecordingChannel();
        channel.clientGone = true;
        EnvironPairs environ = EnvironPairs.of("REQUEST_METHOD", "GET", "PATH_INFO", "/big-stream", "QUERY_STRING", "1000");
        WsgiCall call = new WsgiCall(environ, null, channel, RequestBudget.UNLIMITED, "default");
        assertThatThrownBy(() -> app.call(call, new ActiveCall(call, app))).hasMessageContaining("client disconnected");
        assertThat(channel.events.stream().filter("write"::equals)).hasSize(1);
    }

    @Test
    void pythonSeesOnlyTheBundleAndItsTempDir() {
        JsonObject r = new JsonObject(call("/sandbox").text());
        assertThat(r.getString("read_bundle")).isEqualTo("allowed: True");
        assertThat(r.getString("read_etc")).isEqualTo("refused: PermissionError");
        assertThat(r.getString("list_root")).isEqualTo("refused: PermissionError");
        assertThat(r.getString("write_bundle")).isEqualTo("refused: PermissionError");
        assertThat(r.getString("write_temp")).startsWith("allowed");
        assertThat(r.getString("java")).startsWith("refused");
        assertThat(r.getString("subprocess")).startsWith("refused");
        assertThat(r.getString("env_home")).as("only configured variables reach Python").isNull();
        assertThat(r.getString("env_passed")).isEqualTo("yes");
        assertThat(bundleRoot.resolve("new.txt")).doesNotExist();
    }

    @Test
    void aBundleThatFailsToImportReportsTheTraceback(@TempDir Path work) throws Exception {
        Path broken = Path.of(getClass().getResource("/bundles/broken").toURI());
        Bundle bundle = Bundle.open(broken, work);
        assertThatThrownBy(() -> WsgiApplication.load(runtime, bundle, work, Map.of()))
                .isInstanceOf(BundleImportException.class)
                .hasMessageContaining("cannot import app:application")
                .hasMessageContaining("Traceback")
                .hasMessageContaining("ZeroDivisionError");
    }

    @Test
    void aMissingCallableIsNamed(@TempDir Path work) throws Exception {
        Path dir = Files.createDirectories(work.resolve("b"));
        Files.writeString(dir.resolve("app.py"), "app = 1\n");
        Bundle bundle = Bundle.open(dir, work);
        assertThatThrownBy(() -> WsgiApplication.load(runtime, bundle, work, Map.of()))
                .hasMessageContaining("module 'app' has no attribute 'application'");
        Files.writeString(dir.resolve("corral.json"), "{\"entrypoint\": \"app:app\"}");
        Bundle notCallable = Bundle.open(dir, work);
        assertThatThrownBy(() -> WsgiApplication.load(runtime, notCallable, work, Map.of()))
                .hasMessageContaining("app:app is a int, not a WSGI callable");
    }
}
