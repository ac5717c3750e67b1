package dev.corral.server.http;

import dev.corral.server.RunningServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frameworks users run, at their current releases from PyPI, unchanged, each in a realistic app
 * (src/test/resources/frameworks: routing, templates, forms, multipart uploads, JSON, chunked bodies,
 * cookies, sessions, redirects, streaming, error pages, files, Range, 304, HEAD; Django's ORM on
 * SQLite) wrapped in the standard library's wsgiref.validate. The bundle is built by corral-bundle;
 * the same requests go to gunicorn on CPython serving the same directory, and parity.py compares
 * status, headers and bodies. Any PEP 3333 violation by our server fails inside the validator.
 */
class FrameworkParityIT {
    private static final Path FRAMEWORKS = Path.of("src/test/resources/frameworks").toAbsolutePath();
    private static final Path BUNDLE_TOOL = Path.of("src/main/dist/bin/corral-bundle").toAbsolutePath();

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"flask", "django52", "django", "bottle", "falcon", "pyramid"})
    void answersAsGunicornDoes(String app) throws Exception {
        // parity.py picks the scenario's requests by the directory's name: the copy keeps it.
        Path bundle = temp.resolve(app);
        copy(FRAMEWORKS.resolve(app), bundle);
        Files.copy(FRAMEWORKS.resolve("validated.py"), bundle.resolve("validated.py"));   // shared by every app
        run(List.of("python3", BUNDLE_TOOL.toString(), bundle.toString()), Duration.ofMinutes(5), "corral-bundle " + app);

        List<String> gunicorn = new ArrayList<>(List.of("bash", FRAMEWORKS.resolve("run-gunicorn.sh").toString(), bundle.toString(),
                String.valueOf(freePort())));
        ProcessBuilder reference = new ProcessBuilder(gunicorn).redirectErrorStream(true)
                .redirectOutput(temp.resolve(app + "-gunicorn.log").toFile());
        if (app.equals("django")) {
            // Django 6 needs Python 3.12 (GraalPy's); gunicorn needs a CPython that new.
            reference.environment().put("PYTHON", "auto");
        }
        Process gunicornProcess = reference.start();
        try (RunningServer corral = RunningServer.start(bundle, temp.resolve("tmp"), "--workers", "2")) {
            if (!gunicornProcess.isAlive() && gunicornProcess.exitValue() == 3) {
                Assumptions.abort("no CPython >= 3.12 here for gunicorn to run " + app + ": " + Files.readString(temp.resolve(app + "-gunicorn.log")));
            }
            String out = run(List.of("python3", FRAMEWORKS.resolve("parity.py").toString(), "--app", bundle.toString(),
                    "--scenario", FRAMEWORKS.resolve("scenario.json").toString(),
                    "--reference", "http://127.0.0.1:" + gunicorn.get(3), "--candidate", "http://127.0.0.1:" + corral.port(),
                    "--wait", "120", "--json", temp.resolve(app + "-parity.json").toString()), Duration.ofMinutes(5), null);
            System.out.println(app + " parity:\n" + out);
        } finally {
            gunicornProcess.destroy();
            if (!gunicornProcess.waitFor(10, TimeUnit.SECONDS)) {
                gunicornProcess.destroyForcibly();
            }
        }
    }

    /** Runs a command to its end; fails with its output unless it exits 0 (or returns it when {@code what} is null and it does). */
    private String run(List<String> command, Duration limit, String what) throws IOException, InterruptedException {
        Path log = Files.createTempFile(temp, "run", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("%s did not end within %s:%n%s", String.join(" ", command), limit, out).isTrue();
        assertThat(process.exitValue()).as("%s:%n%s", what == null ? String.join(" ", command) : what, out).isZero();
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.sorted(Comparator.naturalOrder()).toList()) {
                String relative = from.relativize(source).toString();
                if (relative.startsWith("lib") || relative.contains("__pycache__")) {
                    continue;
                }
                Path target = to.resolve(relative);
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
