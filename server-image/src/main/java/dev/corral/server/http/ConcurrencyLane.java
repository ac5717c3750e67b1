package dev.corral.server.http;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A cap on how many requests of one route run at once. Requests past the cap wait here, in their own
 * line, instead of taking workers from other routes; the line is bounded in length and in time (a
 * request that waited longer than the bound, its route's time budget, is answered 503 when its turn
 * comes rather than run for a client that has given up on it), and its depth is a metric. Shared by every event loop and entered
 * by workers finishing a call, hence the lock.
 */
final class ConcurrencyLane {
    private record Waiting(Runnable start, Runnable expired, long sinceNanos) {
    }

    private final int limit;
    private final int maxWaiting;
    private final long maxWaitNanos;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int running;

    /** @param maxWait longest wait in the line; zero for no bound in time */
    ConcurrencyLane(int limit, int maxWaiting, Duration maxWait) {
        this.limit = limit;
        this.maxWaiting = maxWaiting;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /**
     * Runs {@code start} now if under the cap, or later when a slot frees; runs {@code expired} instead
     * if it waited past the bound; false when the line is full.
     */
    boolean enter(Runnable start, Runnable expired) {
        synchronized (this) {
            if (running >= limit) {
                if (waiting.size() >= maxWaiting) {
                    return false;
                }
                waiting.add(new Waiting(start, expired, System.nanoTime()));
                return true;
            }
            running++;
        }
        start.run();
        return true;
    }

    /** A request of this route finished: the next in line that has not waited too long takes its slot. */
    void leave() {
        while (true) {
            Waiting next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    running--;
                    return;
                }
            }
            if (maxWaitNanos > 0 && System.nanoTime() - next.sinceNanos() > maxWaitNanos) {
                next.expired().run();
                continue;
            }
            next.start().run();
            return;
        }
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
