package dev.corral.server.lifecycle;

import dev.corral.server.admin.AdminServer;
import dev.corral.server.admin.Readiness;
import dev.corral.server.admin.ServerMetrics;
import dev.corral.server.budget.BudgetRules;
import dev.corral.server.bundle.Bundle;
import dev.corral.server.bundle.BundleException;
import dev.corral.server.bundle.Entrypoint;
import dev.corral.server.cgroup.Cgroup;
import dev.corral.server.cgroup.CgroupStats;
import dev.corral.server.config.NetworkTransport;
import dev.corral.server.config.ServerConfig;
import dev.corral.server.egress.EgressGuard;
import dev.corral.server.egress.EgressPolicy;
import dev.corral.server.egress.EgressRule;
import dev.corral.server.egress.gate.ConnectGate;
import dev.corral.server.http.HttpFrontend;
import dev.corral.server.http.HttpSettings;
import dev.corral.server.python.BundleImportException;
import dev.corral.server.python.PythonRuntime;
import dev.corral.server.python.WorkerPool;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The whole server: bundle, Python workers, the application port and the admin port. {@link #start()}
 * brings it to ready; {@link #drain()} is what SIGTERM does. Main and the integration tests share it.
 */
public final class CorralServer {
    private static final System.Logger LOG = System.getLogger(CorralServer.class.getName());
    /** How often the supervisor measures busy requests against their budgets. */
    private static final Duration SUPERVISOR_TICK = Duration.ofMillis(5);

    private final ServerConfig config;
    private final Map<String, String> processEnv;
    private final Readiness readiness = new Readiness();
    private final ServerMetrics metrics = new ServerMetrics();
    private Vertx vertx;
    private PythonRuntime runtime;
    private WorkerPool pool;
    private HttpFrontend frontend;
    private AdminServer admin;
    private IdleHeapRelease idleHeapRelease;
    private int port;

    public CorralServer(ServerConfig config, Map<String, String> processEnv) {
        this.config = config;
        this.processEnv = Map.copyOf(processEnv);
    }

    /**
     * The guard every connect of this process passes, installed in the JDK-level gate when the launcher's
     * agent hooked it; present (so Python gets sockets) only when egress is declared. Declared egress
     * without the hook is refused: Python's sockets would then reach anywhere.
     */
    private Optional<EgressGuard> egressGuard() throws StartupException {
        EgressPolicy policy = EgressPolicy.of(config.egress(), guardedAddresses());
        boolean complete = ConnectGate.complete();
        EgressGuard guard = new EgressGuard(policy, EgressGuard.systemResolver(), metrics);
        if (complete) {
            ConnectGate.install(guard);
        }
        if (policy.isEmpty()) {
            return Optional.empty();
        }
        if (!complete) {
            throw new StartupException(ExitCode.BAD_CONFIGURATION, "--egress needs the server's connect check, which this JVM"
                    + " lacks (hooked: " + ConnectGate.hooked() + "): start the server with bin/corral-server, which loads agent/"
                    + "corral-server-egress-gate.jar as a Java agent, or remove --egress (CORRAL_EGRESS)", null);
        }
        LOG.log(System.Logger.Level.INFO, "egress: the application may connect to " + policy.rules().stream().map(Object::toString)
                .collect(Collectors.joining(", ")) + "; guarded: " + policy.guarded().stream()
                .map(g -> g.range().toString()).collect(Collectors.joining(", ")));
        return Optional.of(guard);
    }

    /**
     * Addresses no name or wide range may reach, beside link-local: the API server's Service address and the
     * node's (the operator passes status.hostIP as CORRAL_NODE_IP), when this process knows them.
     */
    private List<EgressPolicy.Guarded> guardedAddresses() {
        List<EgressPolicy.Guarded> guarded = new ArrayList<>();
        guard(guarded, processEnv.get("KUBERNETES_SERVICE_HOST"), "the Kubernetes API server");
        guard(guarded, processEnv.get("CORRAL_NODE_IP"), "the node this pod runs on");
        return guarded;
    }

    private static void guard(List<EgressPolicy.Guarded> guarded, String literal, String what) {
        if (literal == null || literal.isBlank()) {
            return;
        }
        try {
            guarded.add(new EgressPolicy.Guarded(EgressRule.AddressRange.of(InetAddress.ofLiteral(literal.trim())), what));
        } catch (IllegalArgumentException notAnAddress) {
            LOG.log(System.Logger.Level.WARNING, "ignoring '" + literal + "' as " + what + ": not an IP address");
        }
    }

    /** Starts everything and returns once ready (warm-up done); the caller must {@link #drain()} afterwards. */
    public void start() throws StartupException, InterruptedException {
        Path tempDir = createTempDir();
        Bundle bundle;
        try {
            bundle = Bundle.open(config.bundle(), tempDir.resolve("bundles"));
            if (!config.entrypoint().isEmpty()) {
                bundle = bundle.withEntrypoint(Entrypoint.parse(config.entrypoint()));
            }
        } catch (BundleException e) {
            throw new StartupException(ExitCode.BUNDLE_INVALID, e.getMessage(), e);
        }

        runtime = new PythonRuntime(egressGuard());
        metrics.runtime(runtime.implementationName());
        if (!runtime.isCompiled()) {
            String why = "Python runtime is '" + runtime.implementationName() + "': GraalVM's compiler (the distribution's"
                    + " jvmci/) is not on the module path, so Python would run about 100x slower. Start with bin/corral-server";
            if (config.mode() == ServerConfig.Mode.PRODUCTION) {
                runtime.close();
                throw new StartupException(ExitCode.RUNTIME_NOT_COMPILED, why + ", or pass --mode development to accept it.", null);
            }
            LOG.log(System.Logger.Level.WARNING, why + ".");
        } else {
            LOG.log(System.Logger.Level.INFO, "Python runtime: " + runtime.implementationName() + " (JIT-compiled); JVM: "
                    + AotCacheUse.describe());
        }

        Optional<Cgroup> cgroup = Cgroup.ofThisProcess();
        cgroup.ifPresent(this::logCgroup);
        cgroup.ifPresent(metrics::watch);

        int eventLoops = config.eventLoops() > 0 ? config.eventLoops() : Runtime.getRuntime().availableProcessors();
        vertx = startVertx(config.transport(), eventLoops);

        admin = new AdminServer(vertx, metrics, readiness, () -> pool == null ? 0 : pool.size() - pool.live());
        await(admin.listen(config.adminHost(), config.adminPort()), "admin port " + config.adminPort(), ExitCode.CANNOT_BIND);

        int workers = config.workers() > 0 ? config.workers() : Math.max(2, Runtime.getRuntime().availableProcessors());
        int queue = config.queueSize() > 0 ? config.queueSize() : 512 * workers;
        pool = new WorkerPool(runtime, bundle, new WorkerPool.Settings(workers, queue, config.maxQueueWait(), tempDir, passedEnv(),
                config.maxRequests(), config.maxRequestsJitter(), config.budgetGrace(), SUPERVISOR_TICK), metrics);
        metrics.watch(pool);
        try {
            pool.start();
        } catch (BundleImportException e) {
            throw new StartupException(ExitCode.BUNDLE_IMPORT_FAILED, e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.INFO, "imported " + bundle.manifest().entrypoint() + " from " + bundle.root()
                + " into " + workers + " workers (queue " + queue + ", max wait " + config.maxQueueWait().toMillis() + " ms, from "
                + config.queueWaitGrace().toSeconds() + " s after ready)");

        long bufferedBodies = config.maxBufferedBodies() > 0 ? config.maxBufferedBodies() : Runtime.getRuntime().maxMemory() / 4;
        frontend = new HttpFrontend(vertx, new HttpSettings(config.host(), config.port(), eventLoops, config.maxBodySize(),
                bufferedBodies, config.maxHeaderSize(), config.maxRequestLine(), config.idleTimeout(), config.headerTimeout(),
                config.maxQueueWait()),
                bundle.manifest().staticMounts(), pool, metrics, new BudgetRules(config.budget(), bundle.manifest().budgets()));
        port = await(frontend.start(), "port " + config.port(), ExitCode.CANNOT_BIND);

        await(WarmUp.run(vertx, port, bundle.manifest().warmup(), workers), "warm-up", ExitCode.BUNDLE_IMPORT_FAILED);
        pool.suspendQueueWaitBound(config.queueWaitGrace());
        readiness.ready();
        idleHeapRelease = new IdleHeapRelease(pool::lastServedAt, config.idleHeapRelease(), System::nanoTime, System::gc);
        idleHeapRelease.start();
        double seconds = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
        metrics.startToReady(seconds);
        String shownHost = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT,
                "ready in %.1f s: serving http://%s:%d/ (admin http://%s:%d/metrics)", seconds, shownHost, port, shownHost, admin.port()));
    }

    /**
     * What SIGTERM does: readiness goes false at once, the port keeps accepting for the drain delay so
     * load balancers notice, then accepting stops and in-flight requests get the drain timeout to finish.
     */
    public ExitCode drain() throws InterruptedException {
        readiness.draining();
        if (idleHeapRelease != null) {
            idleHeapRelease.close();
        }
        LOG.log(System.Logger.Level.INFO, "draining: not ready; accepting for " + config.drainDelay().toMillis() + " ms more");
        Thread.sleep(config.drainDelay().toMillis());
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        boolean clean = true;
        if (frontend != null) {
            try {
                frontend.shutdown(config.drainTimeout()).await(config.drainTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                clean = false;
            }
        }
        if (pool != null) {
            clean &= pool.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        if (vertx != null) {
            try {
                vertx.close().await(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException ignored) {
                // exiting anyway
            }
        }
        if (runtime != null) {
            runtime.close();
        }
        LOG.log(System.Logger.Level.INFO, clean ? "drained; exiting" : "drain deadline passed; in-flight requests were cut");
        return clean ? ExitCode.OK : ExitCode.DRAIN_TIMED_OUT;
    }

    public int port() {
        return port;
    }

    public int adminPort() {
        return admin.port();
    }

    public Readiness readiness() {
        return readiness;
    }

    private void logCgroup(Cgroup cgroup) {
        try {
            CgroupStats stats = cgroup.read();
            LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT, "cgroup %s: memory limit %s, CPU quota %s; JVM sees %d processors, max heap %d MiB",
                    cgroup.version(),
                    stats.memoryLimitBytes() < 0 ? "none" : (stats.memoryLimitBytes() >> 20) + " MiB",
                    stats.cpuQuotaCores() < 0 ? "none" : String.format(java.util.Locale.ROOT, "%.2f cores", stats.cpuQuotaCores()),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20));
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the cgroup: " + e.getMessage());
        }
    }

    private Map<String, String> passedEnv() {
        Map<String, String> env = new HashMap<>();
        for (String name : config.envPass()) {
            String value = processEnv.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return env;
    }

    private Path createTempDir() throws StartupException {
        try {
            Files.createDirectories(config.tempDir());
            return Files.createTempDirectory(config.tempDir(), "server-").toRealPath();
        } catch (java.io.IOException e) {
            throw new StartupException(ExitCode.BAD_CONFIGURATION, "temp dir " + config.tempDir() + " is not writable: " + e.getMessage(), e);
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future, String what, ExitCode onFailure) throws StartupException {
        try {
            return future.await();
        } catch (Exception e) {
            throw new StartupException(onFailure, "cannot start " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Vert.x on the chosen transport. Epoll, the default, falls back to NIO with a warning so the server still
     * runs where Netty's native library cannot load (a developer's laptop); io_uring is only ever asked for on
     * purpose, so not getting it is a start-up error rather than a silent change of what is being measured.
     */
    private Vertx startVertx(NetworkTransport choice, int eventLoops) throws StartupException {
        Transport transport = switch (choice) {
            case EPOLL -> Transport.EPOLL;
            case IO_URING -> Transport.IO_URING;
            case NIO -> Transport.NIO;
        };
        if (!transport.available()) {
            if (choice == NetworkTransport.IO_URING) {
                throw new StartupException(ExitCode.BAD_CONFIGURATION, "--transport io_uring: io_uring is unavailable here ("
                        + transport.unavailabilityCause() + "); use --transport epoll", transport.unavailabilityCause());
            }
            LOG.log(System.Logger.Level.WARNING, "network: native transport " + transport.name()
                    + " unavailable, falling back to NIO: " + transport.unavailabilityCause());
            transport = Transport.NIO;
        }
        Vertx started = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(eventLoops)).withTransport(transport).build();
        LOG.log(System.Logger.Level.INFO, "network: " + (transport == Transport.NIO ? "JDK nio" : "native " + transport.name())
                + " transport, " + eventLoops + " event loops");
        metrics.transport(transport.name());
        return started;
    }
}
