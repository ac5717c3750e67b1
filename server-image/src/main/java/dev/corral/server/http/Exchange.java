package dev.corral.server.http;

import dev.corral.server.admin.ServerMetrics;
import io.vertx.core.http.HttpServerResponse;

/**
 * One request's passage through the server: when it began, how it was routed, and who must hear that
 * the client left. It owns the response's end and close handlers (Vert.x keeps one of each), so the
 * request is counted exactly once. Event-loop confined.
 */
final class Exchange {
    private final ServerMetrics metrics;
    private final long startNanos = System.nanoTime();
    private ServerMetrics.Route route;
    private boolean counted;
    private final java.util.List<Runnable> onClientGone = new java.util.ArrayList<>(2);

    Exchange(HttpServerResponse response, ServerMetrics metrics, ServerMetrics.Route route) {
        this.metrics = metrics;
        this.route = route;
        metrics.started();
        // Vert.x also calls the end handler when it disposes of a response the client abandoned.
        response.endHandler(v -> count(response.ended() ? response.getStatusCode() : 499));
        response.closeHandler(v -> {
            // The client left before the answer was complete: 499, as nginx counts it.
            count(499);
            onClientGone.forEach(Runnable::run);
        });
    }

    /** Re-labels a request refused before reaching Python (413, 503, ...). */
    void rejected() {
        route = ServerMetrics.Route.REJECTED;
    }

    void onClientGone(Runnable listener) {
        onClientGone.add(listener);
    }

    private void count(int status) {
        if (!counted) {
            counted = true;
            metrics.answered(route, status, startNanos);
        }
    }
}
