package dev.corral.server.http;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bound on request-body bytes held across the whole server, from the first byte read until the
 * worker is done with the request. Each request is capped by --max-body-size, but without this a
 * thousand slow uploaders, or a full queue of large bodies, could hold queue × max-body-size bytes.
 * A connection whose body would pass the bound stops being read (TCP pushes back on the client) and
 * resumes when bodies already taken are released. A body alone in the server is always let through,
 * so a bound smaller than one body cannot stall it for good.
 */
final class BodyBuffers {
    private final long limit;
    private final AtomicLong held = new AtomicLong();
    /** Connections paused for room, each resumed once, oldest first. */
    private final ConcurrentLinkedQueue<Runnable> paused = new ConcurrentLinkedQueue<>();

    BodyBuffers(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the bound on buffered bodies must be positive");
        }
        this.limit = limit;
    }

    /**
     * Counts {@code bytes} more held by a body that already holds {@code own}; false when the server is
     * now over its bound and the caller should pause reading.
     */
    boolean take(long own, long bytes) {
        long after = held.addAndGet(bytes);
        return after <= limit || after == own + bytes;
    }

    /** A body let go of {@code bytes}; paused connections resume while there is room. */
    void release(long bytes) {
        held.addAndGet(-bytes);
        resumeWhileRoom();
    }

    /** Runs {@code resume} once there is room again (at once if there is already). */
    void whenRoom(Runnable resume) {
        paused.add(resume);
        resumeWhileRoom();
    }

    private void resumeWhileRoom() {
        Runnable next;
        while (held.get() < limit && (next = paused.poll()) != null) {
            next.run();
        }
    }

    long held() {
        return held.get();
    }

    int paused() {
        return paused.size();
    }
}
