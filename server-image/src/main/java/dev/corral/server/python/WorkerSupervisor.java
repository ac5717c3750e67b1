package dev.corral.server.python;

import dev.corral.server.budget.Breach;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Owns the workers' lives, as gunicorn's arbiter does, in one loop: every tick it measures each busy
 * worker's request against its budget and stops it when it goes past (interrupt first, cancel the
 * interpreter if the interrupt does not land within the grace), and restarts any worker whose thread
 * has died.
 */
final class WorkerSupervisor implements Runnable {
    private static final System.Logger LOG = System.getLogger(WorkerSupervisor.class.getName());

    private final List<PythonWorker> workers;
    private final IntFunction<PythonWorker> replacement;
    private final WorkerEvents events;
    private final Duration tick;
    private final Duration grace;
    private final ExecutorService enforcers = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread thread;
    private volatile boolean running = true;
    /** Per slot: when a worker that died importing may be tried again, and the backoff after that. */
    private final java.util.Map<Integer, long[]> importRetry = new java.util.HashMap<>();
    static final Duration FIRST_IMPORT_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_IMPORT_RETRY = Duration.ofSeconds(30);

    WorkerSupervisor(List<PythonWorker> workers, IntFunction<PythonWorker> replacement, WorkerEvents events,
                     Duration tick, Duration grace) {
        this.workers = workers;
        this.replacement = replacement;
        this.events = events;
        this.tick = tick;
        this.grace = grace;
        this.thread = Thread.ofPlatform().name("corral-supervisor").daemon(true).unstarted(this);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        while (running) {
            long now = System.nanoTime();
            for (int slot = 0; slot < workers.size(); slot++) {
                PythonWorker worker = workers.get(slot);
                if (running && worker.hasDied()) {
                    if (worker.diedImporting() && !retryDue(slot, now)) {
                        continue;
                    }
                    LOG.log(System.Logger.Level.ERROR, "worker " + slot + " died; starting a replacement");
                    PythonWorker fresh = replacement.apply(slot);
                    workers.set(slot, fresh);
                    fresh.start();
                    events.replaced("died");
                    continue;
                }
                if (worker.isAlive() && worker.isBusy()) {
                    importRetry.remove(slot);
                }
                ActiveCall call = worker.active();
                if (call == null) {
                    continue;
                }
                Breach breach = call.check(now);
                if (breach != null && call.markBreached(breach)) {
                    events.breached(breach.kind());
                    int stuckSlot = slot;
                    enforcers.execute(() -> stop(stuckSlot, worker, call, breach));
                }
            }
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Whether a slot whose replacement failed to import may be tried again: after 1 s, doubling to 30 s. */
    private boolean retryDue(int slot, long now) {
        long[] retry = importRetry.get(slot);
        if (retry == null) {
            importRetry.put(slot, new long[] {now + FIRST_IMPORT_RETRY.toNanos(), FIRST_IMPORT_RETRY.toNanos()});
            return false;
        }
        if (now - retry[0] < 0) {
            return false;
        }
        long backoff = Math.min(retry[1] * 2, LAST_IMPORT_RETRY.toNanos());
        retry[0] = now + backoff;
        retry[1] = backoff;
        return true;
    }

    /**
     * Soft first: interrupt the interpreter. Hard if that does not land in time: answer the client,
     * cancel the interpreter, and give the slot to a fresh worker at once, since a thread inside a
     * long builtin may take its time to notice the cancellation.
     */
    private void stop(int slot, PythonWorker worker, ActiveCall call, Breach breach) {
        try {
            call.app.interrupt(grace);
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "request to route " + call.call.route() + " did not stop within " + grace.toMillis()
                    + " ms of its interrupt; answering now and cancelling its interpreter");
            // The client must not wait for code that ignores interrupts; the worker's own answer comes later and is dropped.
            call.call.response().fail(breach.kind().status(), breach.clientMessage());
            events.cancelled(breach.kind());
            if (running && workers.get(slot) == worker) {
                worker.abandon();
                PythonWorker fresh = replacement.apply(slot);
                workers.set(slot, fresh);
                fresh.start();
                events.replaced("cancelled");
            }
            call.app.cancel();
        } catch (RuntimeException e) {
            // The context closed or the call ended meanwhile: nothing left to stop.
        } finally {
            call.enforced();
        }
    }

    void stop() {
        running = false;
        thread.interrupt();
        enforcers.shutdown();
    }
}
