package dev.corral.server.http;

import io.vertx.core.buffer.Buffer;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request's body as it arrives, counted against the server's {@link BodyBuffers} until
 * {@link #release} (worker done, request refused, or client gone: whichever comes first, once).
 */
final class BufferedBody {
    private final BodyBuffers buffers;
    private final Buffer bytes = Buffer.buffer();
    private final AtomicBoolean released = new AtomicBoolean();
    /** Bytes this body counts in {@link BodyBuffers}; written on the event loop, read at release. */
    private volatile long counted;

    BufferedBody(BodyBuffers buffers) {
        this.buffers = buffers;
    }

    /** Adds a chunk; false when the server is over its bound and reading should pause. */
    boolean append(Buffer chunk) {
        bytes.appendBuffer(chunk);
        if (released.get()) {
            return true;
        }
        long own = counted;
        counted = own + chunk.length();
        return buffers.take(own, chunk.length());
    }

    int length() {
        return bytes.length();
    }

    byte[] bytes() {
        return bytes.getBytes();
    }

    void release() {
        if (released.compareAndSet(false, true)) {
            buffers.release(counted);
        }
    }
}
