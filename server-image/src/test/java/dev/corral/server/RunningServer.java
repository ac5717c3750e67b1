package dev.corral.server;

import dev.corral.server.config.ServerConfig;
import dev.corral.server.config.ServerConfigParser;
import dev.corral.server.lifecycle.CorralServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real CorralServer started in the test JVM on free loopback ports, with clients to talk to it. */
public final class RunningServer implements AutoCloseable {
    private final CorralServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningServer(CorralServer server) {
        this.server = server;
    }

    public static RunningServer start(Path bundle, Path temp, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--bundle", bundle.toString(), "--host", "127.0.0.1", "--port", "0",
                "--admin-host", "127.0.0.1", "--admin-port", "0", "--temp-dir", temp.toString(), "--drain-delay", "0s"));
        args.addAll(List.of(flags));
        ServerConfig config = new ServerConfigParser(Map.of()).parse(args.toArray(String[]::new));
        CorralServer server = new CorralServer(config, Map.of());
        server.start();
        return new RunningServer(server);
    }

    public int port() {
        return server.port();
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpClient http() {
        return http;
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> admin(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** Writes raw bytes on a fresh connection and returns everything read until the server closes or goes quiet. */
    public String raw(String request, Duration quiet) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout((int) quiet.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readUntilQuiet(socket.getInputStream());
        }
    }

    public static String readUntilQuiet(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                got.write(buffer, 0, n);
            }
        } catch (java.net.SocketTimeoutException quiet) {
            // the server kept the connection open; what came so far is the answer
        } catch (java.net.SocketException reset) {
            // closed by the server
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    public CorralServer server() {
        return server;
    }

    @Override
    public void close() throws InterruptedException {
        server.drain();
    }
}
