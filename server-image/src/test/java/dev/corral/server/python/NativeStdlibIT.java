package dev.corral.server.python;

import dev.corral.server.RunningServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standard-library modules GraalPy serves natively, in every worker of a fenced server (no
 * native code) and of one whose bundle sets {@code "nativeModules": true}: at import and in a request.
 * The Unicode answers are compared with CPython's own (the machine's python3), which computes the same
 * digests from the same probe module.
 */
class NativeStdlibIT {
    private static final Path BUNDLE = Path.of("src/test/resources/bundles/stdlib").toAbsolutePath();

    /** What CPython's bz2 answers to the probe's bz2 checks (run the bundle's _bz2() under python3). */
    private static final String BZ2 = "ok:[b'corral', b'made by CPythonmade by CPython', b'made by CPython', True, b'rest', '77a2e869efc9', '77a2e869efc9', True, 'Invalid data stream']";

    @TempDir
    Path temp;

    @Test
    void fencedWorkersServeIdnaTermiosAndUnicodedataAndRefuseNativeModulesByName() throws Exception {
        try (RunningServer server = RunningServer.start(BUNDLE, temp.resolve("tmp"), "--workers", "2")) {
            for (JsonObject worker : eachWorker(server)) {
                for (String when : List.of("import", "request")) {
                    JsonObject probe = worker.getJsonObject(when);
                    assertThat(probe.getString("idna")).as(when).isEqualTo("ok:b'xn--bcher-kva.example'");
                    assertThat(probe.getString("termios")).as(when).isEqualTo("ok:0");
                    assertThat(probe.getString("termios.tcgetattr")).as(when).isEqualTo("ok:'termios.error 25'");
                    assertThat(probe.getString("getpass")).as(when).isEqualTo("ok:True");
                    assertThat(probe.getString("unicodedata")).as(when)
                            .isEqualTo("ok:[230, 'W', '0065 0301', 0.5, 1, 7, 1, '☃', '3.2.0']");
                    assertThat(probe.getString("xml")).as(when)
                            .startsWith("error:ImportError: XML parsing (xml.etree, xml.dom.minidom, xml.sax, plistlib) needs the native module pyexpat")
                            .contains("\"nativeModules\": true");
                    // What only imports XML support (pkg_resources imports plistlib) still imports.
                    assertThat(probe.getString("xml-imports")).as(when).isEqualTo("ok:['plistlib', 'xml.dom.minidom', 'xml.sax.expatreader']");
                    assertThat(probe.getString("sqlite3")).as(when)
                            .startsWith("error:ModuleNotFoundError: sqlite3 needs the native module _sqlite3").contains("\"nativeModules\": true");
                    assertThat(probe.getString("ctypes")).as(when).startsWith("error:ModuleNotFoundError: ctypes needs native code");
                    assertThat(probe.getString("bz2")).as(when).isEqualTo(BZ2);
                    assertThat(probe.getString("decimal")).as(when).isEqualTo("ok:'2.10'");
                    assertThat(probe.getString("zlib")).as(when).isEqualTo("ok:b'z'");
                    assertThat(probe.getString("lzma")).as(when).isEqualTo("ok:b'z'");
                }
            }
        }
    }

    /**
     * With {@code "nativeModules": true} GraalPy's own native modules load in every worker, each its own
     * copy (python.IsolateNativeModules); bz2 is the server's in both modes, since GraalPy's crashes.
     */
    @Test
    void nativeModulesLoadInEveryWorkerWhenTheBundleAsks() throws Exception {
        Path bundle = Files.createDirectories(temp.resolve("native"));
        for (String file : List.of("app.py", "ucdprobe.py")) {
            Files.copy(BUNDLE.resolve(file), bundle.resolve(file));
        }
        Files.writeString(bundle.resolve("corral.json"), "{\"nativeModules\": true}");
        try (RunningServer server = RunningServer.start(bundle, temp.resolve("tmp"), "--workers", "2")) {
            for (JsonObject worker : eachWorker(server)) {
                for (String when : List.of("import", "request")) {
                    JsonObject probe = worker.getJsonObject(when);
                    assertThat(probe.getString("xml")).as(when).isEqualTo("ok:'x'");
                    assertThat(probe.getString("xml-imports")).as(when).isEqualTo("ok:['plistlib', 'xml.dom.minidom', 'xml.sax.expatreader']");
                    assertThat(probe.getString("sqlite3")).as(when).isEqualTo("ok:42");
                    assertThat(probe.getString("ctypes")).as(when).isEqualTo("ok:3");
                    assertThat(probe.getString("idna")).as(when).isEqualTo("ok:b'xn--bcher-kva.example'");
                    assertThat(probe.getString("termios")).as(when).isEqualTo("ok:0");
                    assertThat(probe.getString("unicodedata")).as(when)
                            .isEqualTo("ok:[230, 'W', '0065 0301', 0.5, 1, 7, 1, '☃', '3.2.0']");
                    assertThat(probe.getString("bz2")).as(when).isEqualTo(BZ2);
                }
            }
        }
    }

    @Test
    void theUnicode320DatabaseAndIdnaAnswerAsCPythonDoes() throws Exception {
        try (RunningServer server = RunningServer.start(BUNDLE, temp.resolve("tmp"), "--workers", "1")) {
            for (String props : List.of("category,bidirectional,east_asian_width,mirrored,combining,decimal", "digit,numeric,decomposition,name",
                    "nfd,nfkc")) {
                JsonObject expected = new JsonObject(cpython(null, "import ucdprobe, json; print(json.dumps({'digests': ucdprobe.ucd_3_2_0_digests('"
                        + props + "'.split(',')), 'idna': ucdprobe.idna()}, ensure_ascii=True))"));
                HttpResponse<byte[]> got = server.getBytes("/ucd-3.2.0?" + props);
                JsonObject ours = new JsonObject(new String(got.body(), StandardCharsets.UTF_8));
                assertThat(got.statusCode()).as(ours.encode()).isEqualTo(200);
                for (String prop : props.split(",")) {
                    Map<String, Object> theirs = expected.getJsonObject("digests").getJsonObject(prop).getMap();
                    Map<String, Object> mine = ours.getJsonObject("digests").getJsonObject(prop).getMap();
                    List<String> blocks = theirs.keySet().stream().filter(block -> !theirs.get(block).equals(mine.get(block))).sorted().toList();
                    assertThat(blocks).as(prop + ": blocks of 4096 code points that differ from CPython's").isEmpty();
                }
                assertThat(ours.getJsonObject("idna").getMap()).isEqualTo(expected.getJsonObject("idna").getMap());
            }
        }
    }

    /**
     * The functions a fenced worker gets from ICU answer as CPython's do with the same Unicode version:
     * GraalPy's ICU has 16.0, CPython 3.11 has 14.0, so the reference is CPython with unicodedata2
     * 16.0.0 (PyPI's build of CPython's own unicodedata at a newer Unicode version), every code point
     * of planes 0-2.
     */
    @Test
    void currentUnicodeFunctionsAnswerAsCPythonWithTheSameUnicodeVersion() throws Exception {
        Path unicodedata2 = pipInstall("unicodedata2==16.0.0");
        JsonObject expected = new JsonObject(cpython(unicodedata2, "import ucdprobe, unicodedata2, json; print(json.dumps({p: ucdprobe.values(unicodedata2, p, 0, 0x30000) for p in ucdprobe.CURRENT_PROPERTIES}, ensure_ascii=True))"));
        try (RunningServer server = RunningServer.start(BUNDLE, temp.resolve("tmp"), "--workers", "1")) {
            HttpResponse<byte[]> got = server.getBytes("/current?0-30000");
            JsonObject ours = new JsonObject(new String(got.body(), StandardCharsets.UTF_8));
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(ours.getString("version")).isEqualTo("16.0.0");
            Map<String, List<String>> differences = new java.util.TreeMap<>();
            for (String prop : expected.fieldNames()) {
                JsonArray theirs = expected.getJsonArray(prop);
                JsonArray mine = ours.getJsonObject("values").getJsonArray(prop);
                assertThat(mine.size()).isEqualTo(theirs.size()).isEqualTo(0x30000);
                for (int i = 0; i < theirs.size(); i++) {
                    Object a = theirs.getJsonArray(i).getValue(1);
                    Object b = mine.getJsonArray(i).getValue(1);
                    if (!String.valueOf(a).equals(String.valueOf(b))) {
                        differences.computeIfAbsent(prop, k -> new ArrayList<>()).add(Integer.toHexString(i) + " " + a + " -> " + b);
                    }
                }
            }
            assertThat(differences).isEmpty();
        }
    }

    /** A package from PyPI for the reference CPython, installed once into the user's cache. */
    private static Path pipInstall(String requirement) throws IOException, InterruptedException {
        Path target = Path.of(System.getProperty("user.home"), ".cache", "corral", "python", requirement.replace("==", "-"));
        if (!Files.isDirectory(target)) {
            Path staging = Files.createTempDirectory(Files.createDirectories(target.getParent()), "pip");
            Process pip = new ProcessBuilder("python3", "-m", "pip", "install", "--quiet", "--target", staging.toString(), requirement)
                    .redirectErrorStream(true).start();
            String out = new String(pip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(pip.waitFor()).as("pip install " + requirement + ": " + out).isZero();
            Files.move(staging, target);
        }
        return target;
    }

    /** Probes until two different workers have answered (two at once, each 300 ms, land on both). */
    private static List<JsonObject> eachWorker(RunningServer server) throws Exception {
        Map<String, JsonObject> workers = new java.util.HashMap<>();
        for (int attempt = 0; attempt < 5 && workers.size() < 2; attempt++) {
            List<CompletableFuture<HttpResponse<String>>> probes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                probes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return server.get("/probe");
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (CompletableFuture<HttpResponse<String>> probe : probes) {
                HttpResponse<String> response = probe.get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonObject body = new JsonObject(response.body());
                workers.put(body.getString("worker"), body);
            }
        }
        assertThat(workers).as("answers from both workers").hasSize(2);
        return List.copyOf(workers.values());
    }

    /** Runs CPython in the bundle directory (so it imports the same ucdprobe), with {@code path} on PYTHONPATH. */
    private static String cpython(Path path, String code) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("python3", "-c", code).directory(BUNDLE.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        if (path != null) {
            builder.environment().put("PYTHONPATH", path.toString());
        }
        Process python = builder.start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor()).as("python3 -c " + code).isZero();
        return out.strip();
    }
}
