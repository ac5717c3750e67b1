package dev.corral.server.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.TimeUnit;

/** One HTTP server on one event loop; {@link HttpFrontend} deploys one per event loop, all sharing the port. */
final class HttpVerticle extends VerticleBase {
    private final HttpSettings settings;
    private final RequestRouter router;
    private final InvalidRequests invalid;
    private HttpServer server;

    HttpVerticle(HttpSettings settings, RequestRouter router, InvalidRequests invalid) {
        this.settings = settings;
        this.router = router;
        this.invalid = invalid;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.host())
                .setPort(settings.port())
                .setTcpNoDelay(true)
                .setTcpQuickAck(true)
                .setIdleTimeout((int) settings.idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxHeaderSize(settings.maxHeaderSize())
                .setMaxInitialLineLength(settings.maxRequestLine())
                // WsgiDispatcher answers Expect itself: 100 only once the declared length is within the limit.
                .setHandle100ContinueAutomatically(false)
                // HTTP/1.1 only, as gunicorn and uvicorn serve: no h2c upgrade behind the pod's Service.
                .setHttp2ClearTextEnabled(false)
                // No WebSockets are served: without these Vert.x puts a compression-negotiating handler in
                // every connection's pipeline, which profiled at several percent of the event loop's time.
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                // Every touch of a response happens on its connection's event loop (WsgiResponder and
                // StaticFiles hand over with runOnContext), so Vert.x may skip its cross-thread write queue.
                .setStrictThreadMode(true);
        long headerTimeout = settings.headerTimeout().toMillis();
        server = vertx.createHttpServer(options)
                .connectionHandler(connection -> RequestHeadGuard.install(connection, headerTimeout))
                .invalidRequestHandler(invalid::handle)
                .requestHandler(router::handle);
        return server.listen();
    }

    int port() {
        return server.actualPort();
    }

    /** Stops accepting and lets in-flight requests finish within the timeout. */
    Future<Void> shutdown(long timeoutMillis) {
        return server.shutdown(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
