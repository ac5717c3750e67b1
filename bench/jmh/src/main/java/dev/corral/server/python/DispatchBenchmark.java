package dev.corral.server.python;

import dev.corral.server.budget.RequestBudget;
import dev.corral.server.wsgi.EnvironPairs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The hand-off of one request from an event loop to a worker and back, with no Python and no
 * network: the request is admitted to the {@link RequestQueue}, a waiting worker thread wakes and
 * takes it, reports its service time, and signals completion, which wakes the submitting thread (as a
 * worker's answer wakes the connection's event loop). This is the cost perf counts as futex calls per
 * request on the server: each direction is a park and an unpark when the other side was idle.
 */
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBenchmark {
    private final EnvironPairs environ = EnvironPairs.of("REQUEST_METHOD", "GET", "PATH_INFO", "/");
    private RequestQueue queue;
    private Thread worker;
    private Thread submitter;
    private volatile boolean done;

    @Setup(Level.Trial)
    public void startWorker() {
        queue = new RequestQueue(1024, Duration.ofSeconds(1), 1);
        submitter = Thread.currentThread();
        worker = Thread.ofPlatform().name("bench-worker").daemon(true).start(() -> {
            try {
                while (true) {
                    WsgiCall call = queue.take();
                    if (call == PythonWorker.STOP) {
                        return;
                    }
                    long start = System.nanoTime();
                    queue.served(start, System.nanoTime());
                    call.onDone().run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @TearDown(Level.Trial)
    public void stopWorker() throws InterruptedException {
        queue.stopOne();
        worker.join();
    }

    @Benchmark
    public boolean roundTrip() {
        done = false;
        WsgiCall call = new WsgiCall(environ, null, null, RequestBudget.UNLIMITED, "default", () -> {
            done = true;
            LockSupport.unpark(submitter);
        });
        if (queue.offer(call) != Admission.QUEUED) {
            throw new IllegalStateException("refused");
        }
        while (!done) {
            LockSupport.park(this);
        }
        return done;
    }
}
