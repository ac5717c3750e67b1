package dev.corral.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Declared egress on the packaged server (its launcher loads the connect gate): bundle code reaches what
 * --egress names and nothing else, whichever Python module connects. Every destination here is a
 * loopback address this test listens on (127.0.0.2 the undeclared one, 127.0.0.3 standing in for the
 * node); the ranges that must never be reached (metadata) are judged in EgressPolicyTest, without a packet.
 */
class EgressIT {
    private static final Duration START = Duration.ofSeconds(180);
    private static final Path PROBE = Path.of("src/test/resources/bundles/egress-probe").toAbsolutePath();
    private final ObjectMapper json = new ObjectMapper();
    private final List<AutoCloseable> listeners = new ArrayList<>();

    @TempDir
    Path work;

    @AfterEach
    void closeListeners() throws Exception {
        for (AutoCloseable listener : listeners) {
            listener.close();
        }
    }

    @Test
    void onlyDeclaredDestinationsAreReachedWhicheverModuleConnects() throws Exception {
        int port = ServerProcess.freePort();
        Listener declared = listen("127.0.0.1", port);
        Listener undeclared = listen("127.0.0.2", port);
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
        udp.setSoTimeout(5000);
        listeners.add(udp);
        try (ServerProcess server = ServerProcess.launch(PROBE, work, "--workers", "1", "--egress", "127.0.0.1:" + port).awaitReady(START)) {
            assertThat(probe(server, "/tcp", "127.0.0.1", port).path("result").asText()).isEqualTo("HTTP/1.0 200 OK");
            assertThat(probe(server, "/http", "127.0.0.1", port).path("result").asText()).isEqualTo("from 127.0.0.1");
            assertThat(probe(server, "/raw", "127.0.0.1", port).path("result").asText()).isEqualTo("connected");

            for (String op : List.of("/tcp", "/http", "/raw")) {
                JsonNode refused = probe(server, op, "127.0.0.2", port);
                assertThat(refused.path("error").asText()).as(op).isEqualTo("PermissionError");
                assertThat(refused.path("errno").asInt()).as(op).isEqualTo(13);
            }
            // Through socket (and so urllib), the message names the destination and the field that opens it.
            assertThat(probe(server, "/tcp", "127.0.0.2", port).path("message").asText())
                    .contains("127.0.0.2:" + port, "spec.egress", "declared: 127.0.0.1:" + port);
            assertThat(probe(server, "/http", "127.0.0.2", port).path("message").asText()).contains("127.0.0.2:" + port, "spec.egress");
            assertThat(probe(server, "/tcp", "127.0.0.1", port + 1).path("error").asText()).as("a declared host, another port")
                    .isEqualTo("PermissionError");
            assertThat(undeclared.accepted.get()).as("connections that reached 127.0.0.2").isZero();

            assertThat(probe(server, "/udp", "127.0.0.2", port).path("error").asText()).isEqualTo("PermissionError");
            assertThat(probe(server, "/udp", "127.0.0.1", port).path("result").asInt()).isEqualTo(10);
            DatagramPacket packet = new DatagramPacket(new byte[64], 64);
            udp.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII)).isEqualTo("corral-udp");

            String metrics = server.admin("/metrics").body();
            assertThat(metric(metrics, "corral_egress_connects_total{result=\"allowed\"}")).isEqualTo(4);
            assertThat(metric(metrics, "corral_egress_connects_total{result=\"refused\"}")).isEqualTo(7);
            assertThat(declared.accepted.get()).isEqualTo(3);
            assertThat(server.log()).contains("WARNING", "connect to 127.0.0.2:" + port + " refused");
        }
    }

    @Test
    void aDeclaredNameIsJudgedByWhatItResolvesToAtEachConnect() throws Exception {
        int port = ServerProcess.freePort();
        listen("127.0.0.1", port);
        listen("127.0.0.2", port);
        Listener node = listen("127.0.0.3", port);
        Path hosts = work.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 db.corral.test\n");
        // The JVM's resolver reads this file instead of DNS, and caches nothing, so the name moves at once.
        Map<String, String> env = Map.of("JAVA_OPTS", "-Djdk.net.hosts.file=" + hosts + " -Dsun.net.inetaddr.ttl=0"
                + " -Dsun.net.inetaddr.negative.ttl=0", "CORRAL_NODE_IP", "127.0.0.3");
        try (ServerProcess server = ServerProcess.launch(PROBE, work, env, "--workers", "1", "--egress", "db.corral.test:" + port)
                .awaitReady(START)) {
            assertThat(probe(server, "/http", "db.corral.test", port).path("result").asText()).isEqualTo("from 127.0.0.1");
            assertThat(probe(server, "/raw", "127.0.0.1", port).path("result").asText()).as("the name's address, as a literal")
                    .isEqualTo("connected");

            Files.writeString(hosts, "127.0.0.2 db.corral.test\n");
            assertThat(probe(server, "/http", "db.corral.test", port).path("result").asText()).isEqualTo("from 127.0.0.2");
            JsonNode old = probe(server, "/tcp", "127.0.0.1", port);
            assertThat(old.path("error").asText()).as("the address the name has left").isEqualTo("PermissionError");

            // Rebinding the declared name to a guarded address (the node here) does not open it.
            Files.writeString(hosts, "127.0.0.3 db.corral.test\n");
            JsonNode rebound = probe(server, "/tcp", "db.corral.test", port);
            assertThat(rebound.path("error").asText()).isEqualTo("PermissionError");
            assertThat(rebound.path("message").asText()).contains("127.0.0.3:" + port, "the node this pod runs on");
            assertThat(probe(server, "/raw", "127.0.0.3", port).path("error").asText()).isEqualTo("PermissionError");
            assertThat(node.accepted.get()).as("connections that reached the node").isZero();
        }
    }

    /**
     * GraalPy 25.0 connects in blocking mode whatever the socket's timeout; a dead address held a worker for
     * the kernel's SYN retries (the whole 30 s request budget here). A loopback listener whose accept queue
     * is full drops further SYNs, as a dead address does.
     */
    @Test
    void aConnectToADeadAddressFailsWithinTheSocketsTimeout() throws Exception {
        int port = ServerProcess.freePort();
        ServerSocket full = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"));
        listeners.add(full);
        for (int i = 0; i < 4; i++) {
            java.nio.channels.SocketChannel filler = java.nio.channels.SocketChannel.open();
            filler.configureBlocking(false);
            filler.connect(new InetSocketAddress("127.0.0.1", port));
            listeners.add(filler);
        }
        try (ServerProcess server = ServerProcess.launch(PROBE, work, "--workers", "1", "--egress", "127.0.0.1:" + port).awaitReady(START)) {
            long start = System.nanoTime();
            JsonNode cut = probe(server, "/tcp", "127.0.0.1", port);   // the probe's create_connection has timeout=5
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(cut.path("error").asText()).as(cut.toString()).isEqualTo("TimeoutError");
            assertThat(millis).isBetween(4_500L, 10_000L);
            // The worker is free and its next connect is not cut by a stale deadline.
            Listener live = listen("127.0.0.1", ServerProcess.freePort());
            JsonNode next = probe(server, "/http", "127.0.0.1", live.socket.getLocalPort());
            assertThat(next.path("error").asText()).as("an undeclared port, refused at once, not interrupted").isEqualTo("PermissionError");
        }
    }

    /** A peer that accepts and then says nothing: the read times out at the socket's timeout, as on CPython. */
    @Test
    void aReadFromASilentPeerFailsWithinTheSocketsTimeout() throws Exception {
        ServerSocket silent = new ServerSocket(ServerProcess.freePort(), 50, InetAddress.getByName("127.0.0.1"));
        listeners.add(silent);
        List<Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread.ofVirtual().start(() -> {
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept());   // kept open, never written to
                } catch (IOException closed) {
                    return;
                }
            }
        });
        try (ServerProcess server = ServerProcess.launch(PROBE, work, "--workers", "1", "--egress", "127.0.0.1:" + silent.getLocalPort())
                .awaitReady(START)) {
            long start = System.nanoTime();
            JsonNode quiet = probe(server, "/tcp", "127.0.0.1", silent.getLocalPort());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(quiet.path("error").asText()).as(quiet.toString()).isEqualTo("TimeoutError");
            assertThat(millis).isBetween(4_500L, 10_000L);
            assertThat(held).hasSize(1);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void withoutEgressEverySocketEntryPointRaisesPermissionErrorSayingWhatToDeclare() throws Exception {
        int port = ServerProcess.freePort();
        Listener listener = listen("127.0.0.1", port);
        try (ServerProcess server = ServerProcess.launch(PROBE, work, "--workers", "1").awaitReady(START)) {
            for (String op : List.of("/tcp", "/raw", "/udp", "/http", "/resolve")) {
                JsonNode refused = probe(server, op, "127.0.0.1", port);
                assertThat(refused.path("error").asText()).as(op).isEqualTo("PermissionError");
                assertThat(refused.path("message").asText()).as(op).contains("declares no egress", "spec.egress", "--egress");
            }
            assertThat(listener.accepted.get()).isZero();
        }
    }

    @Test
    void aBadEgressSettingStopsTheServerNamingTheSetting() throws Exception {
        try (ServerProcess server = ServerProcess.launch(PROBE, work, "--egress", "db.example.com")) {
            assertThat(server.awaitExit(Duration.ofSeconds(60))).isEqualTo(64);
            assertThat(server.log()).contains("--egress (CORRAL_EGRESS)", "'db.example.com' is not host:port");
        }
    }

    private JsonNode probe(ServerProcess server, String op, String host, int port) throws IOException, InterruptedException {
        var response = server.get(op + "?host=" + host + "&port=" + port);
        assertThat(response.statusCode()).as(op + " " + host + ":" + port + " -> " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static long metric(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).map(l -> (long) Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " not in /metrics"));
    }

    /** A loopback listener that answers each connection with a tiny HTTP response naming its own address. */
    private Listener listen(String address, int port) throws IOException {
        Listener listener = new Listener(new ServerSocket(port, 50, InetAddress.getByName(address)));
        listeners.add(listener);
        Thread.ofVirtual().start(listener::serve);
        return listener;
    }

    private static final class Listener implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger accepted = new AtomicInteger();

        Listener(ServerSocket socket) {
            this.socket = socket;
        }

        void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    accepted.incrementAndGet();
                    client.setSoTimeout(2000);
                    // Read what a request sends before answering, so an HTTP client is not reset mid-request.
                    try {
                        client.getInputStream().read(new byte[4096]);
                    } catch (SocketTimeoutException quiet) {
                        // a bare connect sends nothing
                    }
                    String body = "from " + socket.getInetAddress().getHostAddress();
                    OutputStream out = client.getOutputStream();
                    out.write(("HTTP/1.0 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    // the test is over, or a client left
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
