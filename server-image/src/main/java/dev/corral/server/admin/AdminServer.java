package dev.corral.server.admin;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The admin port, apart from application traffic: {@code /metrics} (Prometheus text format),
 * {@code /healthz} (the process answers) and {@code /readyz} (imported, warmed, not draining).
 */
public final class AdminServer {
    private final Vertx vertx;
    private final ServerMetrics metrics;
    private final Readiness readiness;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private HttpServer server;

    public AdminServer(Vertx vertx, ServerMetrics metrics, Readiness readiness) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.readiness = readiness;
    }

    public Future<HttpServer> listen(String host, int port) {
        server = vertx.createHttpServer().requestHandler(this::handle);
        return server.listen(port, host);
    }

    public int port() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        switch (request.path()) {
            case "/metrics" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 10);
                try {
                    writer.write(out, metrics.registry().scrape());
                } catch (IOException e) {
                    request.response().setStatusCode(500).end("metrics unavailable\n");
                    return;
                }
                request.response().putHeader(HttpHeaders.CONTENT_TYPE, writer.getContentType()).end(Buffer.buffer(out.toByteArray()));
            }
            case "/healthz" -> request.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("ok\n");
            case "/readyz" -> {
                Readiness.State state = readiness.state();
                request.response().setStatusCode(state == Readiness.State.READY ? 200 : 503)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                        .end(state.name().toLowerCase(java.util.Locale.ROOT) + "\n");
            }
            default -> request.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                    .end("admin endpoints: /metrics /healthz /readyz\n");
        }
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
