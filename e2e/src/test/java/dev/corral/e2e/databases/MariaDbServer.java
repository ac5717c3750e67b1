package dev.corral.e2e.databases;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real MariaDB (Debian's mariadb-server) on 127.0.0.1 in a fresh data directory, user {@code corral}; removed on close. */
public final class MariaDbServer implements AutoCloseable {
    public static final String USER = "corral";
    public static final String PASSWORD = "s3cret-maria";
    private final DatabaseDir dir;
    private final Process process;
    public final int port;

    private MariaDbServer(DatabaseDir dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/sbin/mariadbd")) && Files.isExecutable(Path.of("/usr/bin/mariadb-install-db"));
    }

    public static MariaDbServer start() throws IOException, InterruptedException {
        DatabaseDir dir = DatabaseDir.create("mariadb");
        Process process = null;
        try {
            dir.ownedBy("mysql");
            Path data = dir.path.resolve("data");
            Command.of("/usr/bin/mariadb-install-db", "--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=socket",
                    "--skip-test-db", "--user=mysql").run(Duration.ofMinutes(2));
            int port = Ports.free();
            process = Command.of("/usr/sbin/mariadbd", "--no-defaults", "--datadir=" + data, "--port=" + port, "--bind-address=127.0.0.1",
                    "--socket=" + dir.path.resolve("sock"), "--pid-file=" + dir.path.resolve("pid"), "--user=mysql", "--skip-log-bin",
                    "--innodb-flush-log-at-trx-commit=0", "--max-connections=100").start(dir.path.resolve("log"));
            Ports.awaitListening(port, process, Duration.ofSeconds(60), "mariadbd");
            MariaDbServer server = new MariaDbServer(dir, process, port);
            server.rootSql("CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'; GRANT ALL ON *.* TO '" + USER + "'@'%'");
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (process != null) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            dir.close();
            throw e;
        }
    }

    /** Runs SQL as the server's root over its socket (as the OS's root user); returns its tab-separated rows. */
    public String rootSql(String sql) throws IOException, InterruptedException {
        return Command.of("mariadb", "--no-defaults", "-S", dir.path.resolve("sock").toString(), "-u", "root", "-N", "-B", "-e", sql)
                .run(Duration.ofSeconds(60)).strip();
    }

    public void createDatabase(String name) throws IOException, InterruptedException {
        rootSql("CREATE DATABASE " + name);
    }

    /** The SQLAlchemy URL of database {@code db} through PyMySQL. */
    public String sqlalchemyUrl(String db) {
        return "mysql+pymysql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + db;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            dir.close();
        }
    }
}
