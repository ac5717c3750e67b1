package dev.corral.server.admin;

import dev.corral.server.budget.BudgetKind;
import dev.corral.server.cgroup.Cgroup;
import dev.corral.server.cgroup.CgroupStats;
import dev.corral.server.python.WorkerEvents;
import dev.corral.server.python.WorkerPool;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The server's Prometheus metrics, in a registry of its own (no global state). Route classes are
 * {@code wsgi}, {@code static} and {@code rejected}; statuses are the numeric HTTP code.
 */
public final class ServerMetrics implements WorkerEvents, dev.corral.server.egress.EgressGuard.Listener {
    /** How a request was routed, for the {@code route} label. */
    public enum Route { WSGI, STATIC, REJECTED;

        final String label = name().toLowerCase(java.util.Locale.ROOT);
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency;
    private final Gauge inFlight;
    private final Counter rejected;
    private final Gauge startToReady;
    private final Gauge runtime;
    private final Gauge transport;
    private final Counter breaches;
    private final Counter cancellations;
    private final Counter replacements;
    private final Counter abandoned;
    private final Counter importFailures;
    private final Counter egressConnects;
    private final java.util.Map<String, java.util.function.IntSupplier> lanes = new java.util.concurrent.ConcurrentHashMap<>();

    public ServerMetrics() {
        requests = Counter.builder().name("corral_http_requests_total")
                .help("HTTP requests answered, by status code and route class").labelNames("status", "route").register(registry);
        latency = Histogram.builder().name("corral_http_request_duration_seconds").unit(Unit.SECONDS)
                .help("Time from request headers to the end of the response, by route class")
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .labelNames("route").register(registry);
        inFlight = Gauge.builder().name("corral_http_requests_in_flight").help("Requests received and not yet answered").register(registry);
        rejected = Counter.builder().name("corral_requests_rejected_total")
                .help("Requests refused before reaching Python, by reason").labelNames("reason").register(registry);
        startToReady = Gauge.builder().name("corral_start_to_ready_seconds").unit(Unit.SECONDS)
                .help("Seconds from process start to ready (bundle imported, workers warmed)").register(registry);
        runtime = Gauge.builder().name("corral_python_runtime_info")
                .help("The Python runtime: implementation is 'GraalVM CE' when JIT-compiled, 'Interpreted' otherwise")
                .labelNames("implementation").register(registry);
        transport = Gauge.builder().name("corral_network_transport_info")
                .help("The socket layer the event loops run on: epoll, io_uring or nio (nio also when a native one could not load)")
                .labelNames("transport").register(registry);
        breaches = Counter.builder().name("corral_budget_breaches_total")
                .help("Requests stopped for going past a budget, by kind (time, cpu, memory)").labelNames("kind").register(registry);
        cancellations = Counter.builder().name("corral_budget_cancellations_total")
                .help("Stopped requests whose interrupt did not land in the grace period, so their interpreter was cancelled")
                .labelNames("kind").register(registry);
        replacements = Counter.builder().name("corral_worker_replacements_total")
                .help("Interpreters replaced, by reason (recycled, cancelled, exhausted, died)").labelNames("reason").register(registry);
        abandoned = Counter.builder().name("corral_requests_abandoned_total")
                .help("Queued requests dropped before running because their client had already left").register(registry);
        importFailures = Counter.builder().name("corral_worker_import_failures_total")
                .help("Replacement interpreters that could not import the application (the slot is retried with backoff)").register(registry);
        egressConnects = Counter.builder().name("corral_egress_connects_total")
                .help("Connects (and UDP sends) the application attempted, by result: allowed by the declared egress, or refused")
                .labelNames("result").register(registry);
        egressConnects.labelValues("allowed");
        egressConnects.labelValues("refused");
        GaugeWithCallback.builder().name("corral_lane_waiting").help("Requests waiting in a route's maxConcurrent lane")
                .labelNames("route").callback(cb -> lanes.forEach((route, depth) -> cb.call(depth.getAsInt(), route))).register(registry);
        JvmMetrics.builder().register(registry);
    }

    @Override
    public void breached(BudgetKind kind) {
        breaches.labelValues(kind.label()).inc();
    }

    @Override
    public void cancelled(BudgetKind kind) {
        cancellations.labelValues(kind.label()).inc();
    }

    @Override
    public void replaced(String reason) {
        replacements.labelValues(reason).inc();
    }

    @Override
    public void abandoned() {
        abandoned.inc();
    }

    @Override
    public void importFailed() {
        importFailures.inc();
    }

    /** Reports the depth of a route's concurrency lane as {@code corral_lane_waiting{route=...}}. */
    public void laneDepth(String route, java.util.function.IntSupplier depth) {
        lanes.put(route, depth);
    }

    /** Adds the pod's cgroup limits and usage, read at each scrape; the operator's quota autoscaling reads these. */
    public void watch(Cgroup cgroup) {
        GaugeWithCallback.builder().name("corral_cgroup_memory_usage_bytes").help("Memory charged to the pod's cgroup")
                .callback(cb -> read(cgroup, s -> cb.call(s.memoryUsageBytes()))).register(registry);
        GaugeWithCallback.builder().name("corral_cgroup_memory_limit_bytes").help("The cgroup's memory limit (-1: none)")
                .callback(cb -> read(cgroup, s -> cb.call(s.memoryLimitBytes()))).register(registry);
        GaugeWithCallback.builder().name("corral_cgroup_cpu_quota_cores").help("The cgroup's CPU quota in cores (-1: none)")
                .callback(cb -> read(cgroup, s -> cb.call(s.cpuQuotaCores()))).register(registry);
        CounterWithCallback.builder().name("corral_cgroup_cpu_periods").help("CFS enforcement periods elapsed")
                .callback(cb -> read(cgroup, s -> cb.call(Math.max(0, s.cpuPeriods())))).register(registry);
        CounterWithCallback.builder().name("corral_cgroup_cpu_throttled_periods").help("CFS periods in which the cgroup was throttled")
                .callback(cb -> read(cgroup, s -> cb.call(Math.max(0, s.cpuThrottledPeriods())))).register(registry);
        CounterWithCallback.builder().name("corral_cgroup_cpu_throttled_seconds").help("Time the cgroup spent throttled")
                .callback(cb -> read(cgroup, s -> cb.call(Math.max(0, s.cpuThrottledNanos()) / 1e9))).register(registry);
        CounterWithCallback.builder().name("corral_cgroup_oom_kills").help("Processes the kernel OOM-killed in this cgroup")
                .callback(cb -> read(cgroup, s -> cb.call(Math.max(0, s.oomKills())))).register(registry);
    }

    private static void read(Cgroup cgroup, java.util.function.Consumer<CgroupStats> use) {
        try {
            use.accept(cgroup.read());
        } catch (java.io.IOException | RuntimeException e) {
            // A cgroup file vanished (the hierarchy changed under us): report nothing rather than fail the scrape.
        }
    }

    /** Adds the worker pool's live state: busy and total workers, queued requests and queue capacity. */
    public void watch(WorkerPool pool) {
        GaugeWithCallback.builder().name("corral_workers").help("Python workers, by state").labelNames("state")
                .callback(cb -> {
                    int busy = pool.busy();
                    int dead = pool.size() - pool.live();
                    cb.call(busy, "busy");
                    cb.call(Math.max(0, pool.size() - busy - dead), "idle");
                    cb.call(dead, "dead");
                }).register(registry);
        GaugeWithCallback.builder().name("corral_worker_queue_depth").help("Requests waiting for a free worker")
                .callback(cb -> cb.call(pool.queued())).register(registry);
        GaugeWithCallback.builder().name("corral_worker_spares").help("Interpreters imported and ready to replace a stopped one")
                .callback(cb -> cb.call(pool.spares())).register(registry);
        GaugeWithCallback.builder().name("corral_worker_queue_capacity").help("Requests that may wait before new ones get 503")
                .callback(cb -> cb.call(pool.queueCapacity())).register(registry);
    }

    @Override
    public void connect(boolean allowed) {
        egressConnects.labelValues(allowed ? "allowed" : "refused").inc();
    }

    public void runtime(String implementation) {
        runtime.labelValues(implementation).set(1);
    }

    public void transport(String name) {
        transport.labelValues(name).set(1);
    }

    public void started() {
        inFlight.inc();
    }

    public void answered(Route route, int status, long startNanos) {
        inFlight.dec();
        requests.labelValues(Integer.toString(status), route.label).inc();
        latency.labelValues(route.label).observe((System.nanoTime() - startNanos) / 1e9);
    }

    public void rejected(String reason) {
        rejected.labelValues(reason).inc();
    }

    public void startToReady(double seconds) {
        startToReady.set(seconds);
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
