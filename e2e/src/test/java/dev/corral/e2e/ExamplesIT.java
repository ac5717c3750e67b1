package dev.corral.e2e;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example in examples/ served by the real server, as a user would run it, and every example's
 * webapp.yaml carrying exactly the files of its directory (so the YAML and the code never drift).
 */
class ExamplesIT {
    private static final Path EXAMPLES = Path.of(System.getProperty("corral.examples", "../examples")).toAbsolutePath();
    private static final Duration START = Duration.ofSeconds(180);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path work;

    @Test
    void inlineBundlesInTheWebAppYamlAreTheFilesNextToIt() throws IOException {
        List<Path> yamls;
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            yamls = files.filter(f -> f.getFileName().toString().equals("webapp.yaml")).toList();
        }
        assertThat(yamls).hasSizeGreaterThanOrEqualTo(4);
        for (Path yaml : yamls) {
            Map<String, Object> webApp = Serialization.unmarshal(Files.readString(yaml), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> bundle = (Map<String, Object>) ((Map<String, Object>) webApp.get("spec")).get("bundle");
            @SuppressWarnings("unchecked")
            Map<String, String> inline = (Map<String, String>) bundle.get("inline");
            if (inline == null) {
                continue;
            }
            for (Map.Entry<String, String> file : inline.entrySet()) {
                assertThat(file.getValue()).as(yaml + " inline " + file.getKey() + " equals the file").isEqualTo(Files.readString(yaml.resolveSibling(file.getKey())));
            }
        }
    }

    @Test
    void helloAnswers() throws Exception {
        try (ServerProcess server = ServerProcess.launch(EXAMPLES.resolve("hello"), work).awaitReady(START)) {
            assertThat(server.get("/").body()).isEqualTo("Hello from Corral!\n");
        }
    }

    @Test
    void theJsonApiServesItsRoutesAndEachRouteKeepsItsBudget() throws Exception {
        try (ServerProcess server = ServerProcess.launch(EXAMPLES.resolve("json-api"), work).awaitReady(START)) {
            HttpResponse<String> items = server.get("/api/items");
            assertThat(items.statusCode()).isEqualTo(200);
            assertThat(items.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(items.body()).contains("\"name\": \"tea\"");

            HttpResponse<String> added = post(server, "/api/items", "{\"name\": \"scone\", \"price\": 3}");
            assertThat(added.statusCode()).isEqualTo(201);
            assertThat(post(server, "/api/items", "{\"name\": \"no price\"}").statusCode()).isEqualTo(400);
            assertThat(server.get("/api/items/999").statusCode()).isEqualTo(404);
            assertThat(server.get("/api/report?n=1000").body()).contains("\"n\": 1000");

            HttpResponse<String> export = server.get("/api/export?mb=100");
            assertThat(export.statusCode()).as("the export route's 32m memory budget").isEqualTo(503);
            assertThat(export.body()).contains("memory budget");
            HttpResponse<String> report = server.get("/api/report?n=2000000000");
            assertThat(report.statusCode()).as("the report route's 2 s CPU budget").isEqualTo(503);
            assertThat(report.body()).contains("CPU");
            assertThat(server.get("/api/health").statusCode()).as("and the pod lives on").isEqualTo(200);
        }
    }

    @Test
    void theBottleNotesAppRunsWithBottleBundledAtBuildTime() throws Exception {
        Path notes = EXAMPLES.resolve("notes");
        if (needsBundling(notes)) {
            Process bundle = new ProcessBuilder(EXAMPLES.resolveSibling("dev").toString(), "bundle", notes.toString())
                    .redirectErrorStream(true).start();
            String output = new String(bundle.getInputStream().readAllBytes());
            boolean bundled = bundle.waitFor() == 0;
            if (!Boolean.getBoolean("corral.require.frameworks")) {
                Assumptions.assumeTrue(bundled, "Bottle could not be bundled (./dev bundle needs python3 with pip, and PyPI): " + output);
            }
            assertThat(bundled).as(output).isTrue();
        }
        try (ServerProcess server = ServerProcess.launch(notes, work).awaitReady(START)) {
            assertThat(server.get("/").body()).contains("<h1>Notes (0)</h1>");
            HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/notes"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("text=buy+milk")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).as("redirect after post").isEqualTo(303);
            assertThat(server.get("/api/notes").body()).isEqualTo("{\"notes\": [\"buy milk\"]}");
            assertThat(post(server, "/notes", "").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void theLeakyExampleIsOomKilledInItsOwnPodWhileItsTwinKeepsAnswering() throws Exception {
        PodCgroup.assumeAvailable();
        Path leaky = EXAMPLES.resolve("leaky");
        // The heap may outgrow the pod, so that the kernel, not the JVM, is what stops the leak, as in a pod.
        Map<String, String> jvm = Map.of("JAVA_OPTS", "-Xmx3g");
        try (PodCgroup podA = PodCgroup.create("leaky-a", 1L << 30, 1.0);
             PodCgroup podB = PodCgroup.create("leaky-b", 1L << 30, 1.0);
             ServerProcess a = ServerProcess.launchIn(podA, leaky, work, jvm);
             ServerProcess b = ServerProcess.launchIn(podB, leaky, work, jvm)) {
            a.awaitReady(START);
            b.awaitReady(START);
            SteadyLoad.Result onB;
            int leaks = 0;
            try (SteadyLoad load = SteadyLoad.start(b, "/", 1)) {
                try {
                    while (leaks < 200) {
                        assertThat(a.get("/leak").statusCode()).isEqualTo(200);
                        leaks++;
                    }
                } catch (IOException killed) {
                    // the pod's server died under the request
                }
                assertThat(a.awaitExit(Duration.ofSeconds(60))).as("SIGKILL from the OOM killer").isEqualTo(137);
                onB = load.stop();
            }
            assertThat(podA.oomKills()).isGreaterThanOrEqualTo(1);
            assertThat(podB.oomKills()).isZero();
            assertThat(onB.errors()).as("the twin's failures: %s", onB.failures()).isZero();
            assertThat(b.get("/").body()).isEqualTo("still here\n");
            System.out.println("[figures] leaky example: pod A OOM-killed after " + leaks + " leaks of 16 MiB; pod B meanwhile: " + onB);
        }
    }

    /** lib/ is made by ./dev bundle, again when requirements.txt is newer than its lock (or lib/ came from elsewhere). */
    static boolean needsBundling(Path bundle) throws IOException {
        Path lock = bundle.resolve("lib/corral-bundle.lock");
        return !Files.exists(lock)
                || Files.getLastModifiedTime(lock).compareTo(Files.getLastModifiedTime(bundle.resolve("requirements.txt"))) < 0;
    }

    private HttpResponse<String> post(ServerProcess server, String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
