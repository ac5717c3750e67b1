package dev.corral.server.http;

import dev.corral.server.admin.ServerMetrics;
import dev.corral.server.budget.BudgetRules;
import dev.corral.server.bundle.StaticMount;
import dev.corral.server.python.WorkerPool;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The application port: one {@link HttpVerticle} per event loop, sharing the listening socket. */
public final class HttpFrontend {
    private final Vertx vertx;
    private final HttpSettings settings;
    private final RequestRouter router;
    private final InvalidRequests invalid;
    private final DateHeader date = new DateHeader();
    private final List<HttpVerticle> verticles = new CopyOnWriteArrayList<>();

    public HttpFrontend(Vertx vertx, HttpSettings settings, List<StaticMount> mounts, WorkerPool pool, ServerMetrics metrics,
                        BudgetRules budgets) {
        this.vertx = vertx;
        this.settings = settings;
        this.router = new RequestRouter(date, new StaticFiles(vertx, mounts),
                new WsgiDispatcher(pool, metrics, settings.maxBodySize(), new BodyBuffers(settings.maxBufferedBodies()), budgets,
                        settings.maxLaneWait()), metrics);
        this.invalid = new InvalidRequests(metrics);
    }

    /** Binds the port; completes with the actual port (useful when configured as 0). */
    public Future<Integer> start() {
        date.refreshEverySecond(vertx);
        // One deployment of N instances: Vert.x shares the socket among them, even a random port (0).
        return vertx.deployVerticle(() -> track(new HttpVerticle(settings, router, invalid)),
                        new DeploymentOptions().setInstances(Math.max(1, settings.eventLoops())))
                .map(id -> verticles.get(0).port());
    }

    private HttpVerticle track(HttpVerticle verticle) {
        verticles.add(verticle);
        return verticle;
    }

    /** Stops accepting connections and waits up to {@code deadline} for in-flight requests. */
    public Future<Void> shutdown(Duration deadline) {
        List<Future<Void>> all = verticles.stream().map(v -> v.shutdown(deadline.toMillis())).toList();
        return Future.join(all).mapEmpty();
    }
}
