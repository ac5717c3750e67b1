package dev.corral.server.http;

import java.util.ArrayDeque;

/**
 * A cap on how many requests of one route run at once. Requests past the cap wait here, in their own
 * line, instead of taking workers from other routes; the line is bounded, and a full one refuses.
 * Shared by every event loop and entered by workers finishing a call, hence the lock.
 */
final class ConcurrencyLane {
    private final int limit;
    private final int maxWaiting;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    ConcurrencyLane(int limit, int maxWaiting) {
        this.limit = limit;
        this.maxWaiting = maxWaiting;
    }

    /** Runs {@code start} now if under the cap, or later when a slot frees; false when the line is full. */
    boolean enter(Runnable start) {
        synchronized (this) {
            if (running >= limit) {
                if (waiting.size() >= maxWaiting) {
                    return false;
                }
                waiting.add(start);
                return true;
            }
            running++;
        }
        start.run();
        return true;
    }

    /** A request of this route finished: the next in line, if any, takes its slot. */
    void leave() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
