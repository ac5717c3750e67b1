package dev.corral.server.bundle;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundle tool (src/main/dist/bin/corral-bundle) run as a user runs it, with this machine's python3 and
 * pip against PyPI (or the index pip is configured with). Skipped without python3 and pip unless
 * -Dcorral.require.frameworks=true. pip's cache makes reruns take a few seconds each.
 */
class BundleToolIT {
    private static final Path SCRIPT = Path.of("src/main/dist/bin/corral-bundle").toAbsolutePath();

    @TempDir
    Path temp;

    @BeforeAll
    static void python3WithPip() throws InterruptedException {
        boolean usable;
        try {
            Process pip = new ProcessBuilder("python3", "-m", "pip", "--version").redirectErrorStream(true).start();
            pip.getInputStream().readAllBytes();
            usable = pip.waitFor() == 0;
        } catch (IOException e) {
            usable = false;
        }
        if (Boolean.getBoolean("corral.require.frameworks")) {
            assertThat(usable).as("python3 with pip on PATH (apt-get install python3-pip)").isTrue();
        }
        Assumptions.assumeTrue(usable, "python3 with pip is not on PATH: the bundle tool cannot run");
    }

    @Test
    void flaskGoesInPureWithMarkupSafeBuiltWithoutACompiler() throws Exception {
        Path app = bundleWith("flask==3.1.3\n");
        Result result = run(app);
        assertThat(result.exit()).as(result.output()).isZero();

        Path lib = app.resolve("lib");
        for (String module : List.of("flask", "werkzeug", "jinja2", "markupsafe")) {
            assertThat(lib.resolve(module).resolve("__init__.py")).as(result.output()).isRegularFile();
        }
        assertThat(nativeFiles(lib)).as("compiled files in lib/").isEmpty();
        List<String> lock = Files.readAllLines(lib.resolve("corral-bundle.lock"));
        assertThat(lock).contains("flask==3.1.3");
        assertThat(lock).anyMatch(line -> line.startsWith("werkzeug=="));
        assertThat(lock).anyMatch(line -> line.startsWith("jinja2=="));
        assertThat(lock).anyMatch(line -> line.startsWith("markupsafe==") && line.contains("without a C compiler"));
        assertThat(Bundle.open(app, temp.resolve("work")).manifest().warmup()).isEqualTo(new Warmup(List.of("/"), 100));
        assertThat(result.output()).doesNotContain("Traceback");
    }

    @Test
    void aPackageWithOnlyNativeCodeIsRefusedAndLibIsLeftAsItWas() throws Exception {
        Path app = bundleWith("numpy==2.2.6\n");
        Path lib = Files.createDirectories(app.resolve("lib"));
        Files.writeString(lib.resolve("mine.py"), "KEEP = 1\n");
        Result result = run(app);

        assertThat(result.exit()).as(result.output()).isEqualTo(65);
        assertThat(result.output())
                .contains("numpy 2.2.6", "ships only compiled wheels for CPython",
                        "GraalPy in Corral runs no C extensions: use a pure-Python alternative or remove it", "lib/ left unchanged")
                .doesNotContain("Traceback");
        assertThat(names(lib)).containsExactly("mine.py");
        assertThat(Files.readString(lib.resolve("mine.py"))).isEqualTo("KEEP = 1\n");
        assertThat(names(app)).as("no staging directory left, no corral.json written").containsExactlyInAnyOrder("app.py", "requirements.txt", "lib");
    }

    @Test
    void withoutARequirementsFileItSaysWhatItNeeds() throws Exception {
        Path app = Files.createDirectories(temp.resolve("app"));
        Files.writeString(app.resolve("app.py"), "application = None\n");
        Result result = run(app);

        assertThat(result.exit()).as(result.output()).isEqualTo(64);
        assertThat(result.output()).contains("has neither requirements.txt nor pyproject.toml").doesNotContain("Traceback");
        assertThat(names(app)).containsExactly("app.py");
    }

    @Test
    void anExistingManifestKeepsItsKeysAndItsWarmupUnlessWarmupIsGiven() throws Exception {
        Path app = bundleWith("bottle==0.13.4\n");
        Path manifest = app.resolve("corral.json");
        Files.writeString(manifest, """
                {
                  "entrypoint": "app:application",
                  "budgets": {"/reports/": {"timeout": "120s", "maxConcurrent": 1}},
                  "nativeModules": false
                }
                """);
        Result first = run(app);
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(Files.readString(manifest)).isEqualTo("""
                {
                  "entrypoint": "app:application",
                  "budgets": {"/reports/": {"timeout": "120s", "maxConcurrent": 1}},
                  "nativeModules": false,
                  "warmup": {"paths": ["/"]}
                }
                """);
        assertThat(Files.readAllLines(app.resolve("lib/corral-bundle.lock"))).contains("bottle==0.13.4");

        Result given = run(app, "--warmup", "/", "/reports/daily");
        assertThat(given.exit()).as(given.output()).isZero();
        String withPaths = """
                {
                  "entrypoint": "app:application",
                  "budgets": {"/reports/": {"timeout": "120s", "maxConcurrent": 1}},
                  "nativeModules": false,
                  "warmup": {"paths": ["/", "/reports/daily"]}
                }
                """;
        assertThat(Files.readString(manifest)).isEqualTo(withPaths);

        Result again = run(app);
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(Files.readString(manifest)).as("an existing warmup is left alone").isEqualTo(withPaths);
        BundleManifest read = Bundle.open(app, temp.resolve("work")).manifest();
        assertThat(read.entrypoint()).isEqualTo(Entrypoint.DEFAULT);
        assertThat(read.budgets()).containsKey("/reports/");
        assertThat(read.warmup().paths()).containsExactly("/", "/reports/daily");
    }

    private record Result(int exit, String output) {
    }

    private Path bundleWith(String requirements) throws IOException {
        Path app = Files.createDirectories(temp.resolve("app"));
        Files.writeString(app.resolve("app.py"), "def application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n");
        Files.writeString(app.resolve("requirements.txt"), requirements);
        return app;
    }

    private Result run(Path bundle, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString(), bundle.toString()));
        command.addAll(List.of(flags));
        Path log = Files.createTempFile(temp, "corral-bundle", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("corral-bundle still running after 5 minutes: " + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(entry -> entry.getFileName().toString()).toList();
        }
    }

    private static List<String> nativeFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(file -> dir.relativize(file).toString())
                    .filter(name -> name.endsWith(".so") || name.contains(".so.") || name.endsWith(".pyd") || name.endsWith(".dylib"))
                    .toList();
        }
    }
}
