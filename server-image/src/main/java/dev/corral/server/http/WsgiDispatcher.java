package dev.corral.server.http;

import dev.corral.server.admin.ServerMetrics;
import dev.corral.server.budget.BudgetRules;
import dev.corral.server.python.Admission;
import dev.corral.server.python.EnvironPairs;
import dev.corral.server.python.WorkerPool;
import dev.corral.server.python.WsgiCall;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes a request bound for Python: reads its body within the size limit, builds the environ, and
 * queues it for a worker. Runs on the event loop and never blocks; a full queue, or too long a wait, is answered 503 at once.
 */
final class WsgiDispatcher {
    private final WorkerPool pool;
    private final ServerMetrics metrics;
    private final long maxBodySize;
    private final BudgetRules budgets;
    private final Map<String, ConcurrencyLane> lanes = new HashMap<>();

    WsgiDispatcher(WorkerPool pool, ServerMetrics metrics, long maxBodySize, BudgetRules budgets) {
        this.pool = pool;
        this.metrics = metrics;
        this.maxBodySize = maxBodySize;
        this.budgets = budgets;
        for (BudgetRules.Route route : budgets.routes()) {
            if (route.maxConcurrent() > 0) {
                lanes.put(route.prefix(), new ConcurrencyLane(route.maxConcurrent(), pool.queueCapacity()));
            }
        }
    }

    void dispatch(HttpServerRequest request, Exchange exchange) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0) {
                refuse(request, exchange, 400, "Content-Length is not a number");
                return;
            }
            if (length > maxBodySize) {
                refuse(request, exchange, 413, "the request body is larger than the server accepts (" + maxBodySize + " bytes)");
                return;
            }
        }
        if (request.isEnded()) {
            submit(request, exchange, null);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > maxBodySize) {
                refused[0] = true;
                refuse(request, exchange, 413, "the request body is larger than the server accepts (" + maxBodySize + " bytes)");
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!refused[0]) {
                submit(request, exchange, body.length() == 0 ? null : body.getBytes());
            }
        });
    }

    private void submit(HttpServerRequest request, Exchange exchange, byte[] body) {
        HttpServerResponse response = request.response();
        EnvironPairs environ;
        try {
            environ = WsgiEnviron.build(environRequest(request));
        } catch (IllegalArgumentException e) {
            refuse(request, exchange, 400, e.getMessage());
            return;
        }
        io.vertx.core.Context loop = Vertx.currentContext();
        WsgiResponder responder = new WsgiResponder(loop, response,
                request.method() == HttpMethod.HEAD, request.version());
        exchange.onClientGone(responder::clientGone);
        BudgetRules.Route route = budgets.forPath(request.path());
        ConcurrencyLane lane = lanes.get(route.prefix());
        if (lane == null) {
            Admission admission = pool.submit(new WsgiCall(environ, body, responder, route.budget(), route.prefix()));
            if (admission != Admission.QUEUED) {
                atCapacity(exchange, response, admission.reason());
            }
            return;
        }
        WsgiCall call = new WsgiCall(environ, body, responder, route.budget(), route.prefix(), lane::leave);
        boolean admitted = lane.enter(() -> {
            // May run later on a worker thread, when this route's previous request finishes.
            Admission admission = pool.submit(call);
            if (admission != Admission.QUEUED) {
                lane.leave();
                loop.runOnContext(v -> atCapacity(exchange, response, admission.reason()));
            }
        });
        if (!admitted) {
            atCapacity(exchange, response, "lane_full");
        }
    }

    private void atCapacity(Exchange exchange, HttpServerResponse response, String reason) {
        exchange.rejected();
        metrics.rejected(reason);
        response.putHeader(HttpHeaders.RETRY_AFTER, "1");
        ErrorResponses.send(response, 503, "the server is at capacity; retry shortly");
    }

    /** Answers an unacceptable request and closes the connection, since its body may still be arriving. */
    private static void refuse(HttpServerRequest request, Exchange exchange, int status, String message) {
        exchange.rejected();
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.CONNECTION, "close");
        ErrorResponses.send(response, status, message);
    }

    private static WsgiEnviron.Request environRequest(HttpServerRequest request) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers().size());
        for (Map.Entry<String, String> header : request.headers()) {
            headers.add(header);
        }
        SocketAddress remote = request.remoteAddress();
        SocketAddress local = request.localAddress();
        HostAndPort authority = request.authority();
        String serverName = authority != null ? authority.host() : local.host();
        int serverPort = authority != null && authority.port() > 0 ? authority.port() : local.port();
        return new WsgiEnviron.Request(request.method().name(), originForm(request.uri()), protocol(request),
                headers, remote == null ? "" : remote.hostAddress(), remote == null ? 0 : remote.port(),
                serverName, serverPort, "http", "");
    }

    /** An absolute-form target ({@code http://host/path}) reduced to the origin form WSGI expects. */
    static String originForm(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme > 0 && uri.indexOf('/') > scheme) {
            int slash = uri.indexOf('/', scheme + 3);
            if (slash < 0) {
                int q = uri.indexOf('?', scheme + 3);
                return q < 0 ? "/" : "/" + uri.substring(q);
            }
            return uri.substring(slash);
        }
        return uri;
    }

    private static String protocol(HttpServerRequest request) {
        return switch (request.version()) {
            case HTTP_1_0 -> "HTTP/1.0";
            case HTTP_2 -> "HTTP/2";
            default -> "HTTP/1.1";
        };
    }
}
