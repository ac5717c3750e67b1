package dev.corral.server.python;

import dev.corral.server.budget.Breach;
import dev.corral.server.budget.RequestBudget;
import dev.corral.server.wsgi.EnvironPairs;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A platform thread owning one Python interpreter with the application imported. It takes requests
 * from the pool's queue one at a time, so Python never runs on an event loop and never shares an
 * interpreter. A request stopped by its budget is answered here; an interpreter that had to be
 * cancelled, or served its quota of requests, is swapped for a spare.
 */
final class PythonWorker implements Runnable {
    /** Sweeps after stopped requests are at least this far apart; the ones in between are folded into the next. */
    private static final long SWEEP_INTERVAL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    private static final System.Logger LOG = System.getLogger(PythonWorker.class.getName());

    /** Put on the queue once per worker to stop it after the requests ahead of it. */
    /**
     * The Java stack of a thread that runs Python. An interpreted Python frame takes far more Java stack
     * than CPython's C stack, and GraalPy reports a Java StackOverflowError as RecursionError: on the JVM's
     * default 1 MiB, Django 5.2's import (about 40 modules deep) failed with "maximum recursion depth
     * exceeded". Only what is touched is committed.
     */
    static final long PYTHON_STACK_BYTES = 64L << 20;
    static final WsgiCall STOP = new WsgiCall(EnvironPairs.EMPTY, null, null, RequestBudget.UNLIMITED, "stop");

    /** How many requests an interpreter serves before it is recycled; 0 for never. */
    record Recycling(int maxRequests, int jitter) {
        int nextLimit() {
            return maxRequests == 0 ? 0 : maxRequests + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextInt(jitter + 1));
        }
    }

    private final int id;
    private final RequestQueue queue;
    private final SpareApplications spares;
    private final WorkerEvents events;
    private final Recycling recycling;
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Thread thread;
    /** One of the workers the pool starts with: imports its own interpreter rather than taking a spare. */
    private final boolean firstGeneration;
    private volatile ActiveCall active;
    private volatile boolean stopRequested;
    /** Set when the supervisor gave this worker's slot to a replacement while it was stuck. */
    private volatile boolean abandoned;
    /** Set when an error escaped the worker's loop and ended its thread. */
    private volatile Throwable diedOf;
    /** A request was stopped by interrupt: collect what it left once its exception is gone (worker thread only). */
    private boolean sweepPending;
    private long lastSweepNanos = System.nanoTime() - SWEEP_INTERVAL_NANOS;

    PythonWorker(int id, RequestQueue queue, SpareApplications spares, WorkerEvents events, Recycling recycling,
                 boolean firstGeneration) {
        this.id = id;
        this.firstGeneration = firstGeneration;
        this.queue = queue;
        this.spares = spares;
        this.events = events;
        this.recycling = recycling;
        this.thread = Thread.ofPlatform().name("corral-python-" + id).daemon(true).stackSize(PYTHON_STACK_BYTES).unstarted(this);
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

    /** The request this worker is running, or null when idle. */
    ActiveCall active() {
        return active;
    }

    boolean isBusy() {
        return active != null;
    }

    /** The thread ended without being asked to (an error escaped, or a replacement could not import): the supervisor replaces it. */
    boolean hasDied() {
        return diedOf != null && !thread.isAlive();
    }

    /** Why the thread ended, when {@link #hasDied()}: an import failure is retried with backoff. */
    boolean diedImporting() {
        return diedOf instanceof BundleImportException;
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /**
     * Gives up on this worker while it is stuck in code that ignores interrupts: a replacement takes its
     * slot now, and this thread ends as soon as the cancelled call returns, without taking more work.
     */
    void abandon() {
        abandoned = true;
        stopped.complete(null);
    }

    @Override
    public void run() {
        WsgiApplication app;
        try {
            app = firstGeneration ? spares.fresh() : spares.take();
            loaded.complete(null);
        } catch (BundleImportException | RuntimeException e) {
            if (!firstGeneration) {
                // A replacement that cannot import leaves its slot empty: say so, and let the supervisor retry.
                LOG.log(System.Logger.Level.ERROR, "worker " + id + ": a replacement interpreter cannot import the application; "
                        + "the slot stays empty until a retry works\n" + e.getMessage());
                events.importFailed();
                diedOf = e;
            }
            loaded.completeExceptionally(e);
            stopped.complete(null);
            return;
        }
        int limit = recycling.nextLimit();
        int served = 0;
        try {
            while (true) {
                WsgiCall call = queue.take();
                if (call == STOP) {
                    stopRequested = true;
                    return;
                }
                String replaceBecause = serve(call, app);
                if (abandoned) {
                    return;
                }
                if (sweepPending && System.nanoTime() - lastSweepNanos >= SWEEP_INTERVAL_NANOS) {
                    // Here, not where the interrupt was caught: its exception holds the stopped frames. At most
                    // one sweep per interval: each is a full collection, which pauses every worker, and a client
                    // sending request after request past its budget must not turn that into a stall for all.
                    sweepPending = false;
                    lastSweepNanos = System.nanoTime();
                    app.sweepAfterStop();
                }
                served++;
                if (replaceBecause == null && limit > 0 && served >= limit) {
                    replaceBecause = "recycled";
                }
                if (replaceBecause != null) {
                    app.close();
                    app = spares.take();
                    events.replaced(replaceBecause);
                    served = 0;
                    limit = recycling.nextLimit();
                }
            }
        } catch (InterruptedException e) {
            stopRequested = true;
            Thread.currentThread().interrupt();
        } catch (BundleImportException e) {
            LOG.log(System.Logger.Level.ERROR, "worker " + id + ": cannot import the application into a new interpreter\n" + e.getMessage());
            diedOf = e;
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "worker " + id + " died", e);
            diedOf = e;
        } finally {
            app.close();
            stopped.complete(null);
        }
    }

    /** Runs one request; returns why the interpreter must be replaced afterwards, or null. */
    private String serve(WsgiCall call, WsgiApplication app) {
        if (call.response().clientHasGone()) {
            // The client left while this waited: nobody would read the answer, so do not run it.
            events.abandoned();
            call.onDone().run();
            return null;
        }
        ActiveCall running = new ActiveCall(call, app);
        active = running;
        call.response().watchStream(running);
        try {
            Breach overrun = app.call(call, running);
            if (overrun != null) {
                if (running.claimedByWorker()) {
                    events.breached(overrun.kind());
                }
                LOG.log(System.Logger.Level.WARNING, "worker " + id + ": request to route " + call.route() + " answered "
                        + overrun.kind().status() + " as it returned: " + overrun.clientMessage() + "; used " + overrun.used());
            }
            return null;
        } catch (PolyglotException e) {
            return failed(call, running, app, e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "worker " + id + ": request to " + call.route() + " failed in the server", e);
            call.response().fail(500, "the server failed while handling this request");
            return null;
        } finally {
            queue.served(running.startNanos(), System.nanoTime());
            running.settle();
            active = null;
            call.onDone().run();
        }
    }

    private String failed(WsgiCall call, ActiveCall running, WsgiApplication app, PolyglotException e) {
        Breach breach = running.breach();
        if (breach != null && (e.isInterrupted() || e.isCancelled())) {
            LOG.log(System.Logger.Level.WARNING, "worker " + id + ": request to route " + call.route() + " stopped: "
                    + breach.clientMessage() + "; used " + breach.used() + "; stopped " + running.millisSinceBreach() + " ms after detection"
                    + (e.isCancelled() ? " by cancelling its interpreter" : " by interrupt")
                    + "\n" + pythonStack(e));
            call.response().fail(breach.kind().status(), breach.clientMessage());
            if (e.isCancelled()) {
                return "cancelled";
            }
            sweepPending |= app.needsSweepAfterStop();
            return null;
        }
        if (e.isResourceExhausted() || isMemoryError(e)) {
            LOG.log(System.Logger.Level.WARNING, "worker " + id + ": request to route " + call.route() + " ran out of memory\n" + pythonStack(e));
            call.response().fail(503, "the request ran out of memory");
            return e.isResourceExhausted() ? "exhausted" : null;
        }
        if (e.isCancelled() || e.isInterrupted()) {
            call.response().fail(503, "the request was stopped");
            return e.isCancelled() ? "cancelled" : null;
        }
        if (call.response().clientHasGone()) {
            // The client left mid-response and write() or the stream raised ClientDisconnected (or the
            // application's own reaction to it): the usual end of a cancelled download, not a bug.
            LOG.log(System.Logger.Level.INFO, "worker " + id + ": the client of route " + call.route()
                    + " disconnected before the response was done; the application stopped with " + guestType(e));
            call.response().fail(499, "client disconnected");
            return null;
        }
        // Answer first: formatting the traceback imports Python's traceback module on an interpreter's
        // first failure, which took 1.4-3 s even on a warmed engine.
        call.response().fail(500, "The application failed while handling this request.");
        LOG.log(System.Logger.Level.ERROR, "worker " + id + ": the application raised on route " + call.route() + "\n" + app.describe(e));
        return null;
    }

    private static String guestType(PolyglotException e) {
        try {
            Value guest = e.isGuestException() ? e.getGuestObject() : null;
            return guest != null && guest.getMetaObject() != null ? guest.getMetaObject().getMetaSimpleName() : e.getMessage();
        } catch (RuntimeException closed) {
            return e.getMessage();
        }
    }

    private static boolean isMemoryError(PolyglotException e) {
        if (!e.isGuestException()) {
            return false;
        }
        try {
            Value guest = e.getGuestObject();
            return guest != null && guest.getMetaObject() != null && "MemoryError".equals(guest.getMetaObject().getMetaSimpleName());
        } catch (RuntimeException closed) {
            return false;
        }
    }

    /** Where the Python code was when it was stopped, innermost first. */
    private static String pythonStack(PolyglotException e) {
        StringBuilder out = new StringBuilder("Python stack (innermost first):");
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            if (frame.isGuestFrame()) {
                out.append("\n  ").append(frame);
            }
        }
        return out.toString();
    }
}
