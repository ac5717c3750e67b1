package dev.corral.server.http;

import dev.corral.server.admin.ServerMetrics;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP decoder (or {@link RequestHeadGuard}) could not accept: 414 for an
 * over-long request line, 431 for over-large headers, 505 for an HTTP version other than 1.0 and 1.1,
 * 400 for anything else malformed (a missing Host included). The connection closes afterwards.
 */
final class InvalidRequests {
    private final ServerMetrics metrics;

    InvalidRequests(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    void handle(HttpServerRequest request) {
        new Exchange(request.response(), metrics, ServerMetrics.Route.REJECTED);
        Throwable cause = request.decoderResult().cause();
        int status = 400;
        String message = "the request is malformed";
        if (cause instanceof RequestHeadGuard.UnsupportedVersion) {
            status = 505;
            message = "the server speaks HTTP/1.0 and HTTP/1.1";
        } else if (cause instanceof RequestHeadGuard.BadHost bad) {
            message = bad.getMessage();
        } else if (cause instanceof TooLongFrameException) {
            String text = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (text.contains("header")) {
                status = 431;
                message = "the request headers are larger than the server accepts";
            } else {
                status = 414;
                message = "the request line is longer than the server accepts";
            }
        }
        request.response().putHeader(HttpHeaders.CONNECTION, "close");
        ErrorResponses.send(request.response(), status, message);
    }
}
