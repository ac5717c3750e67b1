package dev.corral.e2e.databases;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real Redis (Debian's redis-server) on 127.0.0.1, nothing persisted; stopped on close. */
public final class RedisServer implements AutoCloseable {
    private final DatabaseDir dir;
    private final Process process;
    public final int port;

    private RedisServer(DatabaseDir dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/redis-server"));
    }

    public static RedisServer start() throws IOException, InterruptedException {
        DatabaseDir dir = DatabaseDir.create("redis");
        int port = Ports.free();
        Process process = Command.of("/usr/bin/redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.path.toString()).start(dir.path.resolve("log"));
        try {
            Ports.awaitListening(port, process, Duration.ofSeconds(30), "redis-server");
        } catch (IOException e) {
            process.destroyForcibly();
            dir.close();
            throw e;
        }
        return new RedisServer(dir, process, port);
    }

    /** redis-py's URL of logical database {@code n}. */
    public String url(int n) {
        return "redis://127.0.0.1:" + port + "/" + n;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            dir.close();
        }
    }
}
