package dev.corral.server.python;

import org.graalvm.polyglot.PolyglotException;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A platform thread owning one Python context with the application imported. It takes requests from
 * the pool's queue one at a time, so Python never runs on an event loop and never shares a context.
 */
final class PythonWorker implements Runnable {
    private static final System.Logger LOG = System.getLogger(PythonWorker.class.getName());

    /** Put on the queue once per worker to stop it after the requests ahead of it. */
    static final WsgiCall STOP = new WsgiCall(new String[0], null, null);

    private final int id;
    private final BlockingQueue<WsgiCall> queue;
    private final ApplicationLoader loader;
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final Thread thread;

    /** Imports the application into a fresh context; runs on the worker's own thread. */
    interface ApplicationLoader {
        WsgiApplication load() throws BundleImportException;
    }

    PythonWorker(int id, BlockingQueue<WsgiCall> queue, ApplicationLoader loader) {
        this.id = id;
        this.queue = queue;
        this.loader = loader;
        this.thread = Thread.ofPlatform().name("corral-python-" + id).daemon(true).unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** Completes when the application is imported, or exceptionally with a {@link BundleImportException}. */
    CompletableFuture<Void> loaded() {
        return loaded;
    }

    CompletableFuture<Void> stopped() {
        return stopped;
    }

    boolean isBusy() {
        return busy.get();
    }

    @Override
    public void run() {
        WsgiApplication app;
        try {
            app = loader.load();
            loaded.complete(null);
        } catch (BundleImportException | RuntimeException e) {
            loaded.completeExceptionally(e);
            stopped.complete(null);
            return;
        }
        try (app) {
            while (true) {
                WsgiCall call = queue.take();
                if (call == STOP) {
                    return;
                }
                busy.set(true);
                try {
                    app.call(call);
                } catch (PolyglotException e) {
                    LOG.log(System.Logger.Level.ERROR, "worker " + id + ": the application raised\n" + app.describe(e));
                    call.response().fail();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "worker " + id + ": request failed in the server", e);
                    call.response().fail();
                } finally {
                    busy.set(false);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.complete(null);
        }
    }
}
