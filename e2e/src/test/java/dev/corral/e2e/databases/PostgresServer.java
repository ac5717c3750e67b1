package dev.corral.e2e.databases;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

/**
 * A real PostgreSQL (Debian's, the newest under /usr/lib/postgresql) on 127.0.0.1, in a fresh data
 * directory, with password (SCRAM) authentication for user {@code corral}; stopped and removed on close.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "corral";
    public static final String PASSWORD = "s3cret-pg";
    private final Path bin;
    private final DatabaseDir dir;
    public final int port;

    private PostgresServer(Path bin, DatabaseDir dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** Whether this machine has PostgreSQL's server binaries (.ci/run installs them). */
    public static boolean installed() {
        return binaries() != null;
    }

    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        String[] versions = root.toFile().list();
        if (versions == null) {
            return null;
        }
        return Arrays.stream(versions).filter(v -> v.matches("\\d+")).max(Comparator.comparingInt(Integer::parseInt))
                .map(v -> root.resolve(v).resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres"))).orElse(null);
    }

    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = binaries();
        if (bin == null) {
            throw new IOException("no PostgreSQL server under /usr/lib/postgresql: apt-get install postgresql");
        }
        DatabaseDir dir = DatabaseDir.create("postgres");
        try {
            Path password = dir.path.resolve("password");
            Files.writeString(password, PASSWORD + "\n");
            Files.createDirectories(dir.path.resolve("run"));
            dir.ownedBy("postgres");
            Command.of(bin.resolve("initdb").toString(), "-D", dir.path.resolve("data").toString(), "-U", USER,
                    "--auth=scram-sha-256", "--pwfile=" + password, "--no-sync", "-E", "UTF8", "--locale=C").as("postgres")
                    .run(Duration.ofMinutes(2));
            int port = Ports.free();
            Command.of(bin.resolve("pg_ctl").toString(), "-D", dir.path.resolve("data").toString(), "-l", dir.path.resolve("log").toString(),
                    "-w", "-t", "60", "-o", "-p " + port + " -k " + dir.path.resolve("run") + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + " -c max_connections=100", "start").as("postgres").run(Duration.ofSeconds(90));
            return new PostgresServer(bin, dir, port);
        } catch (IOException | InterruptedException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** Runs SQL as {@code corral} on database {@code db} with psql; returns its unaligned output. */
    public String sql(String db, String sql) throws IOException, InterruptedException {
        return Command.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", db,
                "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql).withEnv(Map.of("PGPASSWORD", PASSWORD)).run(Duration.ofSeconds(60)).strip();
    }

    public void createDatabase(String name) throws IOException, InterruptedException {
        sql("postgres", "CREATE DATABASE " + name);
    }

    /** The SQLAlchemy URL of database {@code db} through pg8000. */
    public String sqlalchemyUrl(String db) {
        return "postgresql+pg8000://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + db;
    }

    /** Stops the server (fast shutdown: open sessions are ended), keeping its data for {@link #restart()}. */
    public void stop() throws IOException, InterruptedException {
        Command.of(bin.resolve("pg_ctl").toString(), "-D", dir.path.resolve("data").toString(), "-m", "fast", "-w", "stop").as("postgres")
                .run(Duration.ofSeconds(60));
    }

    public void restart() throws IOException, InterruptedException {
        Command.of(bin.resolve("pg_ctl").toString(), "-D", dir.path.resolve("data").toString(), "-l", dir.path.resolve("log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir.path.resolve("run") + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start").as("postgres").run(Duration.ofSeconds(90));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stop();
        } catch (IOException alreadyStopped) {
            // removed below all the same
        } finally {
            dir.close();
        }
    }
}
