package dev.corral.server.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** The one place error answers are written: a status and a short plain-text line, never a stack trace. */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static void send(HttpServerResponse response, int status, String message) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(status + " " + response.getStatusMessage() + ": " + message + "\n");
    }
}
