package dev.corral.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.e2e.databases.MariaDbServer;
import dev.corral.e2e.databases.PostgresServer;
import dev.corral.e2e.databases.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A notes service written the ordinary way (Flask, SQLAlchemy on PostgreSQL through pg8000 and on
 * MariaDB through PyMySQL, a Redis counter through redis-py; bundles/notes-db) against real database
 * servers on loopback: answered as gunicorn answers it, connections kept between requests and never
 * leaked by a budget, a dead database failing requests fast and coming back without a restart.
 */
class DatabaseParityIT {
    private static final Duration START = Duration.ofSeconds(180);
    private static final Path APP = Path.of("src/test/resources/bundles/notes-db").toAbsolutePath();
    private static final Path FRAMEWORKS = Path.of("../server-image/src/test/resources/frameworks").toAbsolutePath();
    private static final Path BUNDLE_TOOL = Path.of("../server-image/src/main/dist/bin/corral-bundle").toAbsolutePath();
    private static final List<String> DATABASES = List.of("reference", "candidate", "budget", "outage");

    private static PostgresServer postgres;
    private static MariaDbServer mariadb;
    private static RedisServer redis;
    private static Path bundle;
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    static Path shared;

    @TempDir
    Path work;

    @BeforeAll
    static void startDatabases() throws Exception {
        boolean installed = PostgresServer.installed() && MariaDbServer.installed() && RedisServer.installed();
        if (!installed && !Boolean.getBoolean("corral.require.databases")) {
            Assumptions.abort("PostgreSQL, MariaDB or Redis is not installed (.ci/run installs them; apt-get install postgresql"
                    + " mariadb-server redis-server)");
        }
        postgres = PostgresServer.start();
        mariadb = MariaDbServer.start();
        redis = RedisServer.start();
        for (String db : DATABASES) {
            postgres.createDatabase(db);
            mariadb.createDatabase(db);
        }
        bundle = shared.resolve("notes-db");
        copy(APP, bundle);
        Files.copy(FRAMEWORKS.resolve("validated.py"), bundle.resolve("validated.py"));
        run(List.of("python3", BUNDLE_TOOL.toString(), bundle.toString()), Duration.ofMinutes(5), shared);
    }

    @AfterAll
    static void stopDatabases() throws Exception {
        for (AutoCloseable server : new AutoCloseable[]{redis, mariadb, postgres}) {
            if (server != null) {
                server.close();
            }
        }
    }

    /** The app's settings for one server: its own databases, so both start empty. */
    private static Map<String, String> settings(String db, int redisDb) {
        return Map.of("NOTES_PG_URL", postgres.sqlalchemyUrl(db), "NOTES_MYSQL_URL", mariadb.sqlalchemyUrl(db),
                "NOTES_REDIS_URL", redis.url(redisDb));
    }

    private ServerProcess corral(Map<String, String> env, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--env-pass", String.join(",", env.keySet()),
                "--egress", "127.0.0.1:" + postgres.port + ",127.0.0.1:" + mariadb.port + ",127.0.0.1:" + redis.port));
        args.addAll(List.of(flags));
        return ServerProcess.launch(bundle, work, env, args.toArray(String[]::new)).awaitReady(START);
    }

    @Test
    void answersAsGunicornDoesOnTheSameDatabaseServers() throws Exception {
        int gunicornPort = ServerProcess.freePort();
        List<String> gunicorn = new ArrayList<>(List.of("bash", FRAMEWORKS.resolve("run-gunicorn.sh").toString(), bundle.toString(),
                Integer.toString(gunicornPort)));
        settings("reference", 0).forEach((k, v) -> gunicorn.addAll(List.of("--env", k + "=" + v)));
        Process reference = new ProcessBuilder(gunicorn).redirectErrorStream(true).redirectOutput(work.resolve("gunicorn.log").toFile()).start();
        try (ServerProcess candidate = corral(settings("candidate", 1), "--workers", "2")) {
            String out = run(List.of("python3", FRAMEWORKS.resolve("parity.py").toString(), "--app", bundle.toString(),
                    "--reference", "http://127.0.0.1:" + gunicornPort, "--candidate", "http://127.0.0.1:" + candidate.port,
                    "--wait", "120", "--json", work.resolve("parity.json").toString()), Duration.ofMinutes(5), work);
            System.out.println("notes-db parity:\n" + out);
            String metrics = candidate.admin("/metrics").body();
            assertThat(metrics).contains("corral_egress_connects_total{result=\"refused\"} 0.0");
            assertThat(candidate.log()).doesNotContain(PostgresServer.PASSWORD).doesNotContain(MariaDbServer.PASSWORD);
        } finally {
            reference.destroy();
            if (!reference.waitFor(10, TimeUnit.SECONDS)) {
                reference.destroyForcibly();
            }
        }
    }

    @Test
    void aPostgresQueryStoppedByItsTimeBudgetLeavesNoTransactionAndNoConnectionBehind() throws Exception {
        try (ServerProcess server = corral(settings("budget", 2), "--workers", "1")) {
            stopSixSlowQueries(server, "pg");
            // What PostgreSQL sees once the stopped sleeps have ended: no transaction left open, and no more
            // connections than one worker's pool may hold (2 + 2 overflow).
            Thread.sleep(5000);
            String sessions = postgres.sql("postgres", "SELECT state FROM pg_stat_activity WHERE datname = 'budget'");
            assertThat(sessions.lines().toList()).as("PostgreSQL sessions of the app").hasSizeLessThanOrEqualTo(4)
                    .allMatch(state -> state.equals("idle"));
        }
    }

    /**
     * MariaDB through PyMySQL keeps no transaction and no pool slot either; what it does not yet give back is
     * the stopped query's own connection, which stays open and idle on the server (one per stop; see
     * docs/operations.md, "Connections and budgets"), so this test counts them without bounding them.
     */
    @Test
    void aMariaDbQueryStoppedByItsTimeBudgetLeavesNoTransactionAndNoPoolSlotBehind() throws Exception {
        try (ServerProcess server = corral(settings("budget", 2), "--workers", "1")) {
            stopSixSlowQueries(server, "mysql");
            Thread.sleep(5000);
            String open = mariadb.rootSql("SELECT COUNT(*) FROM information_schema.INNODB_TRX");
            assertThat(Integer.parseInt(open)).as("open InnoDB transactions").isZero();
            System.out.println("MariaDB connections of one worker after 6 stopped queries: "
                    + mariadb.rootSql("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = 'budget'"));
        }
    }

    /** More stops than the pool holds (2 + 2 overflow): a slot kept per stop would exhaust it. */
    private void stopSixSlowQueries(ServerProcess server, String db) throws Exception {
        for (int i = 0; i < 6; i++) {
            long start = System.nanoTime();
            HttpResponse<String> stopped = server.get("/" + db + "/sleep?s=5");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(stopped.statusCode()).as(db + " stop " + i + ": " + stopped.body()).isEqualTo(504);
            assertThat(millis).as(db + " stop " + i + " answered after ms").isLessThan(4000);
            HttpResponse<String> next = server.get("/" + db + "/notes?q=written");
            assertThat(next.statusCode()).as(db + " the request after stop " + i + ": " + next.body()).isEqualTo(200);
            assertThat(json.readTree(next.body()).path("total").asInt()).as("rows the stopped transactions wrote").isZero();
        }
        // The server sweeps after a stop at most every 2 s (and after a request), so the last stop's slot may
        // come back a request or two later.
        int checkedOut = -1;
        for (int i = 0; i < 10 && checkedOut != 0; i++) {
            checkedOut = json.readTree(server.get("/" + db + "/pool").body()).path("checked_out").asInt();
            if (checkedOut != 0) {
                Thread.sleep(1000);
            }
        }
        assertThat(checkedOut).as(db + " connections checked out after the stops").isZero();
        assertThat(server.log()).contains("exceeded its time budget");
    }

    @Test
    void aDatabaseThatGoesAwayFailsRequestsFastAndServiceResumesWithoutARestart() throws Exception {
        try (ServerProcess server = corral(settings("outage", 3), "--workers", "1")) {
            assertThat(server.get("/pg/notes").statusCode()).isEqualTo(200);
            postgres.stop();
            try {
                long start = System.nanoTime();
                HttpResponse<String> down = server.get("/pg/notes");
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(down.statusCode()).isEqualTo(500);
                assertThat(millis).as("ms to fail with the database down").isLessThan(6000);
                assertThat(server.admin("/readyz").statusCode()).as("readiness with the database down").isEqualTo(200);
                assertThat(server.get("/counters/up").statusCode()).as("a route on another database").isEqualTo(404);
            } finally {
                postgres.restart();
            }
            HttpResponse<String> back = server.get("/pg/notes");
            assertThat(back.statusCode()).as("after the database came back: " + back.body()).isEqualTo(200);
            assertThat(server.log()).contains("pg8000").doesNotContain(PostgresServer.PASSWORD);
        }
    }

    private static String run(List<String> command, Duration limit, Path dir) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("%s did not end within %s:%n%s", String.join(" ", command), limit, out).isTrue();
        assertThat(process.exitValue()).as("%s:%n%s", String.join(" ", command), out).isZero();
        return out;
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
