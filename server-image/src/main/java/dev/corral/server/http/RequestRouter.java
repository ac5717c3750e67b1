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
        long start = System.nanoTime();
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.DATE, date.current()).putHeader(HttpHeaders.SERVER, SERVER);
        metrics.started();
        StaticMount mount = staticFiles.match(request.path());
        ServerMetrics.Route route = mount != null ? ServerMetrics.Route.STATIC : ServerMetrics.Route.WSGI;
        boolean[] counted = {false};
        response.endHandler(v -> {
            if (!counted[0]) {
                counted[0] = true;
                metrics.answered(route, response.getStatusCode(), start);
            }
        });
        response.closeHandler(v -> {
            if (!counted[0]) {
                // The client left before the answer was complete; 499 as nginx counts it.
                counted[0] = true;
                metrics.answered(route, 499, start);
            }
        });
        if (mount != null) {
            staticFiles.serve(request, mount);
        } else {
            wsgi.dispatch(request);
        }
    }
}
