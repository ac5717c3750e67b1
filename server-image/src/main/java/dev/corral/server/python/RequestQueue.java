package dev.corral.server.python;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.LongSupplier;

/**
 * The requests waiting for a worker. The bound is in time, not only in requests: a request is refused
 * when the ones already waiting would take longer than {@code maxWait} to reach a worker, judged from
 * a moving average of recent service times. So a 30 µs handler lets hundreds of requests wait (400
 * connections wait milliseconds), while a 2 s handler refuses at once rather than leave clients
 * waiting a minute. {@code capacity} still caps memory.
 *
 * <p>Workers {@link #served report} each request's wall time. The average is a plain volatile field:
 * two workers reporting at once may lose one sample, which an estimate can afford, and the event
 * loop's check stays a read and a multiply, with no lock of its own.
 */
final class RequestQueue {
    /** Weight of the newest sample: 1/8, so a change of handler speed shows within a few dozen requests. */
    private static final int SMOOTHING_SHIFT = 3;

    private final ArrayBlockingQueue<WsgiCall> waiting;
    private final int capacity;
    private final long maxWaitNanos;
    private final int workers;
    private final LongSupplier clock;
    private volatile long serviceNanos;
    private volatile long lastServedAt;
    /** Until when ({@link #clock}) the time bound is off; 0: never set. */
    private volatile long timeBoundOffUntil;

    /**
     * @param capacity most requests that may wait, whatever their expected wait
     * @param maxWait longest expected wait admitted; zero turns the time bound off
     * @param workers workers taking from the queue
     */
    RequestQueue(int capacity, Duration maxWait, int workers) {
        this(capacity, maxWait, workers, System::nanoTime);
    }

    RequestQueue(int capacity, Duration maxWait, int workers, LongSupplier clock) {
        this.clock = clock;
        if (capacity < 1 || workers < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("capacity and workers must be positive, maxWait not negative");
        }
        // Room for one stop marker per worker on top, so stopping never blocks.
        this.waiting = new ArrayBlockingQueue<>(capacity + workers);
        this.capacity = capacity;
        this.maxWaitNanos = maxWait.toNanos();
        this.workers = workers;
    }

    /** Queues a request unless the queue is full or the wait it would join is too long. */
    Admission offer(WsgiCall call) {
        Admission admission = admits(waiting.size());
        if (admission == Admission.QUEUED && !waiting.offer(call)) {
            return Admission.QUEUE_FULL;   // only if event loops raced for the last places
        }
        return admission;
    }

    /** Whether a request may join {@code ahead} waiting others. */
    private Admission admits(int ahead) {
        if (ahead >= capacity) {
            return Admission.QUEUE_FULL;
        }
        // The ones ahead share the workers. The time running requests still need is left out, so an
        // empty queue always admits: such a request waits at most for one running request.
        if (maxWaitNanos > 0 && (double) ahead * serviceNanos / workers > maxWaitNanos && !timeBoundOff()) {
            return Admission.WAIT_TOO_LONG;
        }
        return Admission.QUEUED;
    }

    private boolean timeBoundOff() {
        long until = timeBoundOffUntil;
        return until != 0 && clock.getAsLong() - until < 0;
    }

    /**
     * Turns the time bound off for {@code grace}: only a full queue refuses meanwhile. Right after ready
     * the JIT has compiled only what warm-up ran, requests are many times slower than they will be, and
     * an estimate from them refuses what would have waited a little: Flask on 2 workers answered 151,292
     * of its first 153,322 requests under 100 connections 503 (bench/framework-start), gunicorn none.
     */
    void suspendTimeBound(Duration grace) {
        long until = clock.getAsLong() + grace.toNanos();
        timeBoundOffUntil = grace.isZero() ? 0 : until == 0 ? 1 : until;
    }

    /** Queues a worker's stop marker behind every request already waiting; never refused, never blocks. */
    void stopOne() {
        waiting.offer(PythonWorker.STOP);
    }

    WsgiCall take() throws InterruptedException {
        return waiting.take();
    }

    /** A worker finished, at {@code endNanos} ({@link System#nanoTime()}), a request begun at {@code startNanos}. */
    void served(long startNanos, long endNanos) {
        lastServedAt = endNanos;
        long nanos = endNanos - startNanos;
        long average = serviceNanos;
        serviceNanos = average == 0 ? nanos : average + ((nanos - average) >> SMOOTHING_SHIFT);
    }

    /** The moving average of recent service times in nanoseconds; 0 before the first request. */
    long serviceNanos() {
        return serviceNanos;
    }

    /** When the last request finished ({@link System#nanoTime()}), or 0 before the first. */
    long lastServedAt() {
        return lastServedAt;
    }

    int size() {
        return waiting.size();
    }

    int capacity() {
        return capacity;
    }
}
