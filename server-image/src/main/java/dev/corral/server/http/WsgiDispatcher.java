package dev.corral.server.http;

import dev.corral.server.admin.ServerMetrics;
import dev.corral.server.budget.BudgetRules;
import dev.corral.server.python.Admission;
import dev.corral.server.python.WorkerPool;
import dev.corral.server.python.WsgiCall;
import dev.corral.server.wsgi.EnvironPairs;
import dev.corral.server.wsgi.WsgiEnviron;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
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
    private final BodyBuffers bodyBuffers;
    private final Map<String, ConcurrencyLane> lanes = new HashMap<>();

    WsgiDispatcher(WorkerPool pool, ServerMetrics metrics, long maxBodySize, BodyBuffers bodyBuffers, BudgetRules budgets,
                   java.time.Duration maxLaneWait) {
        this.pool = pool;
        this.metrics = metrics;
        this.maxBodySize = maxBodySize;
        this.bodyBuffers = bodyBuffers;
        this.budgets = budgets;
        for (BudgetRules.Route route : budgets.routes()) {
            if (route.maxConcurrent() > 0) {
                // A request may wait in its lane as long as its own time budget runs (a client would get 504
                // past it anyway), or the queue-wait bound for a route without one.
                java.time.Duration bound = route.budget().timeout().isZero() ? maxLaneWait : route.budget().timeout();
                ConcurrencyLane lane = new ConcurrencyLane(route.maxConcurrent(), pool.queueCapacity(), bound);
                lanes.put(route.prefix(), lane);
                metrics.laneDepth(route.prefix(), lane::waiting);
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
        String expect = request.getHeader(HttpHeaders.EXPECT);
        if (expect != null) {
            if (!expect.trim().equalsIgnoreCase("100-continue")) {
                refuse(request, exchange, 417, "the only expectation the server meets is 100-continue");
                return;
            }
            // Only now, with the declared length accepted: a client told 100 sends the body it announced.
            if (request.version() == HttpVersion.HTTP_1_1 && !request.isEnded()) {
                request.response().writeContinue();
            }
        }
        if (request.isEnded()) {
            submit(request, exchange, null);
            return;
        }
        BufferedBody body = new BufferedBody(bodyBuffers);
        Context loop = Vertx.currentContext();
        boolean[] refused = {false};
        exchange.onClientGone(body::release);
        // The connection failed mid-body (RequestHeadGuard has answered a malformed one): nothing to run.
        request.exceptionHandler(failure -> body.release());
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > maxBodySize) {
                refused[0] = true;
                body.release();
                refuse(request, exchange, 413, "the request body is larger than the server accepts (" + maxBodySize + " bytes)");
                return;
            }
            if (!body.append(chunk)) {
                // Over the server-wide bound on buffered bodies: stop reading this connection until others are done.
                request.pause();
                bodyBuffers.whenRoom(() -> loop.runOnContext(v -> request.resume()));
            }
        });
        request.endHandler(v -> {
            if (!refused[0]) {
                submit(request, exchange, body);
            }
        });
    }

    private void submit(HttpServerRequest request, Exchange exchange, BufferedBody body) {
        HttpServerResponse response = request.response();
        byte[] bytes = body == null || body.length() == 0 ? null : body.bytes();
        EnvironPairs environ;
        try {
            environ = WsgiEnviron.build(environRequest(request, bytes == null ? 0 : bytes.length));
        } catch (IllegalArgumentException e) {
            release(body);
            refuse(request, exchange, 400, e.getMessage());
            return;
        }
        Context loop = Vertx.currentContext();
        WsgiResponder responder = new WsgiResponder(loop, response, request.connection(),
                request.method() == HttpMethod.HEAD, request.version());
        exchange.onClientGone(responder::clientGone);
        // Budgets follow the path the application routes on (PATH_INFO, decoded), not the raw target:
        // /api/%72eport is /api/report to every framework, so it must be to its budget too.
        BudgetRules.Route route = budgets.forPath(WsgiEnviron.percentDecodeLatin1(request.path()));
        ConcurrencyLane lane = lanes.get(route.prefix());
        Runnable done = () -> release(body);
        if (lane == null) {
            Admission admission = pool.submit(new WsgiCall(environ, bytes, responder, route.budget(), route.prefix(), done));
            if (admission != Admission.QUEUED) {
                done.run();
                atCapacity(exchange, response, admission.reason());
            }
            return;
        }
        WsgiCall call = new WsgiCall(environ, bytes, responder, route.budget(), route.prefix(), () -> {
            done.run();
            lane.leave();
        });
        boolean admitted = lane.enter(() -> {
            // May run later on a worker thread, when this route's previous request finishes.
            Admission admission = pool.submit(call);
            if (admission != Admission.QUEUED) {
                call.onDone().run();
                loop.runOnContext(v -> atCapacity(exchange, response, admission.reason()));
            }
        }, () -> {
            // Waited in the lane past the queue-wait bound: answered as a full queue would be.
            done.run();
            loop.runOnContext(v -> atCapacity(exchange, response, "lane_wait"));
        });
        if (!admitted) {
            done.run();
            atCapacity(exchange, response, "lane_full");
        }
    }

    private static void release(BufferedBody body) {
        if (body != null) {
            body.release();
        }
    }

    private void atCapacity(Exchange exchange, HttpServerResponse response, String reason) {
        exchange.rejected();
        metrics.rejected(reason);
        response.putHeader(HttpHeaders.RETRY_AFTER, "1");
        ErrorResponses.send(response, 503, "the server is at capacity; retry shortly");
    }

    /**
     * Answers an unacceptable request and closes the connection once the answer is out: its body may
     * still be arriving, and reading it only to throw it away would be the client's choice, not ours.
     */
    private static void refuse(HttpServerRequest request, Exchange exchange, int status, String message) {
        exchange.rejected();
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.CONNECTION, "close");
        ErrorResponses.send(response, status, message);
        if (!request.isEnded()) {
            request.connection().close();
        }
    }

    private static WsgiEnviron.Request environRequest(HttpServerRequest request, int bodyLength) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers().size() + 1);
        for (Map.Entry<String, String> header : request.headers()) {
            headers.add(header);
        }
        if (bodyLength > 0 && !request.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            // A chunked body is whole by now: its length is known, and frameworks that read CONTENT_LENGTH
            // (Django, and Flask without wsgi.input_terminated) would otherwise see an empty body.
            headers.add(Map.entry("Content-Length", Integer.toString(bodyLength)));
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
