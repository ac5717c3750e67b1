package dev.corral.server.python;

import dev.corral.server.bundle.Bundle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Python workers behind one bounded queue, watched by a {@link WorkerSupervisor}. A request that finds
 * the queue full, or the wait in it longer than the limit, is refused at once (the caller answers 503)
 * rather than queued without bound.
 */
public final class WorkerPool {
    private final RequestQueue queue;
    private final List<PythonWorker> workers = new CopyOnWriteArrayList<>();
    private final SpareApplications spares;
    private final WorkerSupervisor supervisor;

    /** Settings of the pool: workers, waiting requests, what Python may see, recycling and enforcement. */
    public record Settings(int workers, int queueCapacity, Duration maxQueueWait, Path tempDir, Map<String, String> env,
                           int maxRequests, int maxRequestsJitter, Duration budgetGrace, Duration supervisorTick) {
        public Settings {
            env = Map.copyOf(env);
        }
    }

    public WorkerPool(PythonRuntime runtime, Bundle bundle, Settings settings, WorkerEvents events) {
        this.queue = new RequestQueue(settings.queueCapacity(), settings.maxQueueWait(), settings.workers());
        this.spares = new SpareApplications(() -> WsgiApplication.load(runtime, bundle, settings.tempDir(), settings.env()), 1);
        PythonWorker.Recycling recycling = new PythonWorker.Recycling(settings.maxRequests(), settings.maxRequestsJitter());
        for (int i = 0; i < settings.workers(); i++) {
            workers.add(new PythonWorker(i, queue, spares, events, recycling, true));
        }
        this.supervisor = new WorkerSupervisor(workers, slot -> new PythonWorker(slot, queue, spares, events, recycling, false),
                events, settings.supervisorTick(), settings.budgetGrace());
    }

    /** Starts every worker, waits until each has imported the application, then starts supervising. */
    public void start() throws BundleImportException, InterruptedException {
        workers.forEach(PythonWorker::start);
        try {
            CompletableFuture.allOf(workers.stream().map(PythonWorker::loaded).toArray(CompletableFuture[]::new)).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BundleImportException bie) {
                throw bie;
            }
            throw new IllegalStateException("a Python worker failed to start", e.getCause());
        }
        supervisor.start();
        spares.refill();
    }

    /** For {@code grace} from now, the queue refuses only when full, not on the expected wait (see RequestQueue). */
    public void suspendQueueWaitBound(Duration grace) {
        queue.suspendTimeBound(grace);
    }

    /** Queues a request, or says why it must be refused: the queue is full, or its wait would be too long. */
    public Admission submit(WsgiCall call) {
        return queue.offer(call);
    }

    public int size() {
        return workers.size();
    }

    public int busy() {
        return count(PythonWorker::isBusy);
    }

    /** Workers whose thread is running; zero means nothing can serve (readiness reports it). */
    public int live() {
        return count(PythonWorker::isAlive);
    }

    private int count(java.util.function.Predicate<PythonWorker> state) {
        int n = 0;
        for (PythonWorker w : workers) {
            if (state.test(w)) {
                n++;
            }
        }
        return n;
    }

    public int queued() {
        return queue.size();
    }

    public int queueCapacity() {
        return queue.capacity();
    }

    /** When a worker last finished a request ({@link System#nanoTime()}), or 0 before the first. */
    public long lastServedAt() {
        return queue.lastServedAt();
    }

    /** Interpreters imported and waiting to replace a cancelled or recycled one. */
    public int spares() {
        return spares.ready();
    }

    /** Lets queued and running requests finish, then closes every interpreter; false if the deadline passed first. */
    public boolean stop(Duration deadline) throws InterruptedException {
        for (int i = 0; i < workers.size(); i++) {
            queue.stopOne();
        }
        try {
            CompletableFuture.allOf(workers.stream().map(PythonWorker::stopped).toArray(CompletableFuture[]::new))
                    .get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } finally {
            supervisor.stop();
            spares.close();
        }
    }
}
