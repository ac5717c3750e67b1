package dev.corral.server.python;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Interpreters with the application already imported, kept ready so a worker whose context was
 * cancelled or recycled gets a new one at once instead of waiting for an import.
 */
final class SpareApplications implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SpareApplications.class.getName());

    /** Imports the application into a fresh context. */
    interface Loader {
        WsgiApplication load() throws BundleImportException;
    }

    private final Loader loader;
    private final int target;
    private final LinkedBlockingQueue<WsgiApplication> ready = new LinkedBlockingQueue<>();
    private final AtomicInteger building = new AtomicInteger();
    private final ExecutorService builder = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("corral-spare-builder").daemon(true).stackSize(PythonWorker.PYTHON_STACK_BYTES).unstarted(r));
    private volatile boolean closed;

    SpareApplications(Loader loader, int target) {
        this.loader = loader;
        this.target = target;
    }

    /** A ready interpreter, or a freshly imported one when none is ready; starts building the next spare. */
    WsgiApplication take() throws BundleImportException {
        WsgiApplication app = ready.poll();
        refill();
        return app != null ? app : loader.load();
    }

    /**
     * An interpreter imported now, on the caller's thread, without starting a spare: for the workers'
     * first interpreters, so that start-up does not import one more copy than it needs while it
     * competes for the same cores (the pool starts the spare once the workers are ready).
     */
    WsgiApplication fresh() throws BundleImportException {
        return loader.load();
    }

    /** Starts building spares until {@code target} are ready or under way. */
    void refill() {
        while (!closed && ready.size() + building.get() < target) {
            building.incrementAndGet();
            builder.execute(this::buildOne);
        }
    }

    int ready() {
        return ready.size();
    }

    private void buildOne() {
        try {
            WsgiApplication app = loader.load();
            if (closed) {
                app.close();
            } else {
                ready.add(app);
            }
        } catch (BundleImportException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "could not build a spare interpreter", e);
        } finally {
            building.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        builder.shutdown();
        try {
            // An import under way finishes (and is closed) before the engine goes away.
            builder.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        WsgiApplication app;
        while ((app = ready.poll()) != null) {
            app.close();
        }
    }
}
