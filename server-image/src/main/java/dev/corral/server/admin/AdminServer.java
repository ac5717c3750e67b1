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
    private final java.util.function.IntSupplier deadWorkers;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private HttpServer server;

    public AdminServer(Vertx vertx, ServerMetrics metrics, Readiness readiness, java.util.function.IntSupplier deadWorkers) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.readiness = readiness;
        this.deadWorkers = deadWorkers;
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
            case "/metrics" -> // A scrape reads cgroup files and walks every metric: off the event loop.
                    vertx.executeBlocking(this::scrape, false).onComplete(r -> {
                        if (r.succeeded()) {
                            request.response().putHeader(HttpHeaders.CONTENT_TYPE, writer.getContentType()).end(r.result());
                        } else {
                            request.response().setStatusCode(500).end("metrics unavailable\n");
                        }
                    });
            case "/healthz" -> request.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("ok\n");
            case "/readyz" -> {
                Readiness.State state = readiness.state();
                // Every worker slot must hold a live interpreter: one that a replacement could not refill means
                // the bundle no longer imports here, and the pod should not take traffic meant for full capacity.
                int down = deadWorkers.getAsInt();
                boolean workersUp = down == 0;
                String body = !workersUp && state == Readiness.State.READY ? "workers-down " + down
                        : state.name().toLowerCase(java.util.Locale.ROOT);
                request.response().setStatusCode(state == Readiness.State.READY && workersUp ? 200 : 503)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                        .end(body + "\n");
            }
            default -> request.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                    .end("admin endpoints: /metrics /healthz /readyz\n");
        }
    }

    private Buffer scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 10);
        writer.write(out, metrics.registry().scrape());
        return Buffer.buffer(out.toByteArray());
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
