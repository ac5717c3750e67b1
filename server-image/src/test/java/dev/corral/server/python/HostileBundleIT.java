package dev.corral.server.python;

import dev.corral.server.RunningServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bundle that tries every way out of its pen, served by the real server: symbolic links to host
 * files and directories, relative and absolute names, /proc, the service-account token path, writes
 * into the bundle, wsgi.file_wrapper with decoy names, sockets, processes, Java host access, native
 * code and the process environment. Each is refused, and nothing of the host comes back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileBundleIT {
    @TempDir
    static Path work;
    private Path bundle;
    private Path secret;
    private Path temp;
    private RunningServer server;

    @BeforeAll
    void start() throws Exception {
        Path source = Path.of(getClass().getResource("/bundles/hostile").toURI());
        bundle = Files.createDirectories(work.resolve("bundle"));
        for (String name : new String[] {"app.py", "corral.json"}) {
            Files.copy(source.resolve(name), bundle.resolve(name));
        }
        // Outside the bundle: what a pod must never hand out (a stand-in for the mounted token).
        secret = Files.createDirectories(work.resolve("outside")).resolve("token");
        Files.writeString(secret, "SECRET-TOKEN");
        Path lib = Files.createDirectories(bundle.resolve("lib"));
        Files.createSymbolicLink(lib.resolve("pw"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(lib.resolve("environ"), Path.of("/proc/self/environ"));
        Files.createSymbolicLink(lib.resolve("token"), secret);
        Files.createSymbolicLink(lib.resolve("etc"), Path.of("/etc"));
        Files.createSymbolicLink(lib.resolve("up"), Path.of(".."));
        // A link that stays inside the bundle is fine.
        Files.writeString(bundle.resolve("inside.txt"), "inside the pen");
        Files.createSymbolicLink(lib.resolve("inside"), Path.of("../inside.txt"));
        // Decoys: names that mean something else relative to the server's own working directory.
        Files.writeString(bundle.resolve("pom.xml"), "decoy pom");
        Files.createDirectories(bundle.resolve("etc")).resolve("passwd").toFile().createNewFile();
        Files.writeString(bundle.resolve("etc/passwd"), "decoy passwd");
        Path staticDir = Files.createDirectories(bundle.resolve("static"));
        Files.createSymbolicLink(staticDir.resolve("pw"), Path.of("/etc/passwd"));
        temp = Files.createDirectories(work.resolve("tmp"));
        server = RunningServer.start(bundle, temp, "--workers", "2");
    }

    @AfterAll
    void stop() throws InterruptedException {
        server.close();
    }

    private JsonObject probe(String route, String path) throws Exception {
        HttpResponse<String> r = server.get(route + "?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(route + " " + path).isEqualTo(200);
        return new JsonObject(r.body());
    }

    @ParameterizedTest(name = "reading {0} is refused")
    @ValueSource(strings = {"lib/pw", "lib/environ", "lib/token", "lib/etc/passwd", "lib/up/../outside/token",
            "../outside/token", "/etc/passwd", "/proc/self/environ", "/proc/self/cmdline",
            "/var/run/secrets/kubernetes.io/serviceaccount/token", "/work/main/pom.xml"})
    void readingOutsideThePenIsRefused(String path) throws Exception {
        JsonObject got = probe("/read", path);
        assertThat(got.getString("outcome")).as(path).isEqualTo("refused");
        // A name with ".." is normalized before links are resolved, so it may simply not exist inside.
        assertThat(got.getString("error")).as(path).isIn(path.contains("..") && path.startsWith("lib/up")
                ? new String[] {"PermissionError", "FileNotFoundError"} : new String[] {"PermissionError"});
        assertThat(got.encode()).doesNotContain("root:").doesNotContain("SECRET-TOKEN");
    }

    @ParameterizedTest(name = "listing {0} is refused")
    @ValueSource(strings = {"lib/etc", "/", "/proc", "../outside", "lib/up/../../outside"})
    void listingOutsideThePenIsRefused(String path) throws Exception {
        JsonObject got = probe("/listdir", path);
        assertThat(got.getString("outcome")).as(path).isEqualTo("refused");
    }

    @Test
    void statOfALinkLeadingOutIsRefused() throws Exception {
        assertThat(probe("/stat", "lib/pw").getString("outcome")).isEqualTo("refused");
        assertThat(probe("/stat", "lib/token").getString("outcome")).isEqualTo("refused");
    }

    @Test
    void theBundleItselfIsReadableAndLinksInsideItWork() throws Exception {
        assertThat(probe("/read", "inside.txt").getString("value")).isEqualTo("inside the pen");
        assertThat(probe("/read", "lib/inside").getString("value")).isEqualTo("inside the pen");
        assertThat(probe("/read", "missing.txt").getString("error")).isEqualTo("FileNotFoundError");
        assertThat(probe("/listdir", "lib").getJsonArray("value").getList()).contains("pw", "inside");
    }

    /** The temp dir the application was given (the server makes one of its own under --temp-dir). */
    private Path appTemp() throws Exception {
        return Path.of(new JsonObject(server.get("/env").body()).getString("tmpdir"));
    }

    @Test
    void writesGoOnlyToTheTempDir() throws Exception {
        assertThat(probe("/write", "app.py").getString("outcome")).isEqualTo("refused");
        assertThat(probe("/write", "lib/token").getString("outcome")).isEqualTo("refused");
        assertThat(probe("/write", "new-file").getString("outcome")).isEqualTo("refused");
        assertThat(Files.readString(secret)).isEqualTo("SECRET-TOKEN");
        Path ok = appTemp().resolve("ok.txt");
        assertThat(ok.startsWith(temp)).as(ok + " under " + temp).isTrue();
        JsonObject wrote = probe("/write", ok.toString());
        assertThat(wrote.getString("outcome")).as(wrote.encode()).isEqualTo("allowed");
        assertThat(Files.readString(ok)).isEqualTo("x");
    }

    @Test
    void aLinkPlantedInTheTempDirCannotLeadOut() throws Exception {
        Path planted = appTemp().resolve("planted");
        Files.createSymbolicLink(planted, secret);
        assertThat(probe("/read", planted.toString()).getString("outcome")).isEqualTo("refused");
        assertThat(probe("/write", planted.toString()).getString("outcome")).isEqualTo("refused");
        assertThat(Files.readString(secret)).isEqualTo("SECRET-TOKEN");
    }

    @Test
    void fileWrapperSendsTheBundlesFileNotTheOneInTheServersWorkingDirectory() throws Exception {
        // The test JVM runs in server-image/, which has a real pom.xml; the bundle has a decoy.
        assertThat(Files.exists(Path.of("pom.xml"))).isTrue();
        HttpResponse<String> r = server.get("/wrapper?path=pom.xml");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("decoy pom");
        HttpResponse<String> passwd = server.get("/wrapper?path=etc/passwd");
        assertThat(passwd.body()).isEqualTo("decoy passwd");
    }

    @Test
    void fileWrapperOverALinkLeadingOutIsRefusedBeforeAnythingIsSent() throws Exception {
        HttpResponse<String> r = server.get("/wrapper?path=lib/pw");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).doesNotContain("root:");
    }

    @Test
    void staticMountsDoNotFollowLinksOut() throws Exception {
        HttpResponse<String> r = server.get("/static/pw");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("root:");
    }

    @Test
    void socketsProcessesHostClassesAndNativeCodeAreRefused() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // Without declared egress GraalPy has no sockets at all; the fence makes the attempt a PermissionError
            // the application can catch, saying what to declare (GraalPy's own is a Java exception Python cannot catch).
            HttpResponse<String> connect = server.get("/connect?port=" + listening.getLocalPort());
            assertThat(connect.statusCode()).isEqualTo(200);
            JsonObject outcome = new JsonObject(connect.body());
            assertThat(outcome.getString("outcome")).isEqualTo("refused");
            assertThat(outcome.encode()).contains("PermissionError", "declares no egress");
            listening.setSoTimeout(300);
            org.assertj.core.api.Assertions.assertThatThrownBy(listening::accept).isInstanceOf(java.net.SocketTimeoutException.class);
        }
        for (String route : new String[] {"/process", "/java", "/native"}) {
            JsonObject got = new JsonObject(server.get(route).body());
            assertThat(got.getString("outcome")).as(route).isEqualTo("refused");
            assertThat(got.encode()).as(route).doesNotContain("escaped").doesNotContain(System.getProperty("user.home") + "\"");
        }
    }

    @Test
    void theApplicationSeesOnlyTheEnvironmentItWasGiven() throws Exception {
        JsonObject env = new JsonObject(server.get("/env").body());
        assertThat(env.getJsonArray("environ").getList()).doesNotContain("PATH", "HOME", "JAVA_HOME", "USER")
                .contains("TMPDIR");
    }
}
