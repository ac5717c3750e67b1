package dev.corral.server.lifecycle;

import dev.corral.server.bundle.Warmup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the manifest's warm-up requests through the real port before the pod reports ready, so the
 * JIT has compiled the hot paths when the first user arrives.
 */
final class WarmUp {
    private static final System.Logger LOG = System.getLogger(WarmUp.class.getName());

    private WarmUp() {
    }

    static Future<Void> run(Vertx vertx, int port, Warmup warmup, int concurrency) {
        if (warmup.paths().isEmpty() || warmup.requestsPerPath() == 0) {
            return Future.succeededFuture();
        }
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
                new PoolOptions().setHttp1MaxSize(concurrency));
        AtomicInteger failures = new AtomicInteger();
        Future<Void> chain = Future.succeededFuture();
        for (String path : warmup.paths()) {
            chain = chain.compose(v -> warmPath(client, path, warmup.requestsPerPath(), concurrency, failures));
        }
        return chain.andThen(r -> {
            if (failures.get() > 0) {
                LOG.log(System.Logger.Level.WARNING, "warm-up: " + failures.get() + " requests did not answer 2xx/3xx");
            }
            client.close();
        });
    }

    private static Future<Void> warmPath(HttpClient client, String path, int requests, int concurrency, AtomicInteger failures) {
        AtomicInteger left = new AtomicInteger(requests);
        Future<?>[] lanes = new Future<?>[Math.min(concurrency, requests)];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = lane(client, path, left, failures);
        }
        return Future.join(java.util.List.of(lanes)).mapEmpty();
    }

    private static Future<Void> lane(HttpClient client, String path, AtomicInteger left, AtomicInteger failures) {
        if (left.getAndDecrement() <= 0) {
            return Future.succeededFuture();
        }
        return client.request(HttpMethod.GET, path)
                .compose(req -> req.send())
                .compose(resp -> {
                    if (resp.statusCode() >= 400) {
                        failures.incrementAndGet();
                    }
                    return resp.body();
                })
                .otherwise(e -> {
                    failures.incrementAndGet();
                    return null;
                })
                .compose(v -> lane(client, path, left, failures));
    }
}
