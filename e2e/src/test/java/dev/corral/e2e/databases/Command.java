package dev.corral.e2e.databases;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to its end, failing with its output unless it exits 0 in time. */
record Command(List<String> argv, Map<String, String> env) {
    static Command of(String... argv) {
        return new Command(List.of(argv), Map.of());
    }

    Command withEnv(Map<String, String> more) {
        return new Command(argv, more);
    }

    /** As root, runs the command as {@code user} (PostgreSQL refuses to run as root). */
    Command as(String user) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return this;
        }
        List<String> wrapped = new java.util.ArrayList<>(List.of("runuser", "-u", user, "--"));
        wrapped.addAll(argv);
        return new Command(wrapped, env);
    }

    String run(Duration limit) throws IOException, InterruptedException {
        Path log = Files.createTempFile("corral-command", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (!ended || process.exitValue() != 0) {
                throw new IOException(String.join(" ", argv) + (ended ? " exited " + process.exitValue() : " did not end within " + limit)
                        + ":\n" + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Starts the command in the background, output to {@code log}. */
    Process start(Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }
}
