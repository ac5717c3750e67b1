package dev.corral.server.python;

import dev.corral.server.bundle.Bundle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Python workers behind one bounded queue. A request that finds the queue full is refused at once
 * (the caller answers 503) rather than queued without bound.
 */
public final class WorkerPool {
    private final BlockingQueue<WsgiCall> queue;
    private final List<PythonWorker> workers = new ArrayList<>();
    private final int queueCapacity;

    /** Settings of the pool: how many workers, how many waiting requests, what Python may see. */
    public record Settings(int workers, int queueCapacity, Path tempDir, Map<String, String> env) {
        public Settings {
            env = Map.copyOf(env);
        }
    }

    public WorkerPool(PythonRuntime runtime, Bundle bundle, Settings settings) {
        // Room for the stop markers on top of the configured capacity, so stopping never blocks.
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity() + settings.workers());
        this.queueCapacity = settings.queueCapacity();
        for (int i = 0; i < settings.workers(); i++) {
            workers.add(new PythonWorker(i, queue,
                    () -> WsgiApplication.load(runtime, bundle, settings.tempDir(), settings.env())));
        }
    }

    /** Starts every worker and waits until each has imported the application. */
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
    }

    /** Queues a request; false when the queue is full and the request must be refused. */
    public boolean submit(WsgiCall call) {
        return queue.size() < queueCapacity && queue.offer(call);
    }

    public int size() {
        return workers.size();
    }

    public int busy() {
        int n = 0;
        for (PythonWorker w : workers) {
            if (w.isBusy()) {
                n++;
            }
        }
        return n;
    }

    public int queued() {
        return queue.size();
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    /** Lets queued and running requests finish, then closes every context; false if the deadline passed first. */
    public boolean stop(Duration deadline) throws InterruptedException {
        for (int i = 0; i < workers.size(); i++) {
            queue.offer(PythonWorker.STOP);
        }
        try {
            CompletableFuture.allOf(workers.stream().map(PythonWorker::stopped).toArray(CompletableFuture[]::new))
                    .get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }
}
