package dev.corral.operator.monitoring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** The operator's /healthz (informers healthy), /readyz (started) and /metrics (Prometheus text). */
public final class OperatorEndpoints implements AutoCloseable {
    private final HttpServer server;

    public OperatorEndpoints(int port, BooleanSupplier started, BooleanSupplier healthy, PrometheusRegistry registry) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 16);
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        server.createContext("/healthz", exchange -> answer(exchange, healthy.getAsBoolean() ? 200 : 503,
                healthy.getAsBoolean() ? "ok\n" : "event sources unhealthy\n", "text/plain"));
        server.createContext("/readyz", exchange -> answer(exchange, started.getAsBoolean() ? 200 : 503,
                started.getAsBoolean() ? "ready\n" : "starting\n", "text/plain"));
        server.createContext("/metrics", exchange -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writer.write(out, registry.scrape());
            answer(exchange, 200, out.toString(StandardCharsets.UTF_8), writer.getContentType());
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
