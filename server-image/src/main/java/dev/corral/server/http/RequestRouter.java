package dev.corral.server.http;

import dev.corral.server.admin.ServerMetrics;
import dev.corral.server.bundle.StaticMount;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The one pipeline every application request goes through: common headers, metrics, then either a
 * static file or Python. Runs on the event loop.
 */
final class RequestRouter {
    private static final CharSequence SERVER = HttpHeaders.createOptimized("corral");

    private final DateHeader date;
    private final StaticFiles staticFiles;
    private final WsgiDispatcher wsgi;
    private final ServerMetrics metrics;

    RequestRouter(DateHeader date, StaticFiles staticFiles, WsgiDispatcher wsgi, ServerMetrics metrics) {
        this.date = date;
        this.staticFiles = staticFiles;
        this.wsgi = wsgi;
        this.metrics = metrics;
    }

    void handle(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.DATE, date.current()).putHeader(HttpHeaders.SERVER, SERVER);
        StaticMount mount = staticFiles.match(request.path());
        if (mount != null) {
            new Exchange(response, metrics, ServerMetrics.Route.STATIC);
            staticFiles.serve(request, mount);
        } else {
            wsgi.dispatch(request, new Exchange(response, metrics, ServerMetrics.Route.WSGI));
        }
    }
}
