package dev.corral.server.http;

import dev.corral.server.wsgi.ResponseChannel;
import dev.corral.server.wsgi.ResponseHead;
import dev.corral.server.wsgi.StreamWatch;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpVersion;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

import java.nio.channels.FileChannel;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One WSGI response, written from a Python worker thread. Every touch of the connection is handed to
 * its event loop with {@code runOnContext}; the worker only converts Python values and, for streamed
 * bodies, waits while more than {@link #HIGH_WATER} bytes are still unsent (backpressure). Public because
 * GraalPy host access reaches only public classes.
 */
public final class WsgiResponder implements ResponseChannel {
    private static final System.Logger LOG = System.getLogger(WsgiResponder.class.getName());
    static final long HIGH_WATER = 1 << 20;
    private static final long LOW_WATER = 256 << 10;

    private final Context loop;
    private final HttpServerResponse response;
    /** A HEAD request: headers only. */
    private final boolean headOnly;
    private final boolean http10;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private long unsent;
    private volatile boolean clientGone;
    private boolean started;
    /** Bytes the application may still send when it declared a Content-Length, else -1. */
    private long remaining = -1;
    /** An HTTP/1.0 streamed body without Content-Length: it ends when the connection closes. Event-loop confined. */
    private boolean closeAfterEnd;
    /** The application's head was refused and a 500 sent instead: its body goes nowhere. Event-loop confined. */
    private boolean failedHead;
    private final HttpConnection connection;
    /** Told of each chunk handed to the socket and each wait for the client, on the worker thread. */
    private volatile StreamWatch watch = StreamWatch.NONE;

    WsgiResponder(Context loop, HttpServerResponse response, HttpConnection connection, boolean head, HttpVersion version) {
        this.loop = loop;
        this.response = response;
        this.connection = connection;
        this.headOnly = head;
        this.http10 = version == HttpVersion.HTTP_1_0;
    }

    @Override
    public void watchStream(StreamWatch watch) {
        this.watch = watch;
    }

    @Override
    public boolean clientHasGone() {
        return clientGone;
    }

    /** The connection closed: stop the worker's stream and wake it if it waits for the socket. */
    void clientGone() {
        clientGone = true;
        signalDrained();
    }

    @Override
    @HostAccess.Export
    public void start(String packedHead) {
        started = true;
        ResponseHead head = ResponseHead.parse(packedHead);
        long declared = head.declaredLength();
        remaining = declared;
        onLoop(() -> {
            if (!applied(head)) {
                return;
            }
            if (declared < 0 && !headOnly) {
                if (http10) {
                    // HTTP/1.0 has no chunks: the body ends with the connection, whatever the client asked.
                    response.headersEndHandler(h -> response.headers().set(HttpHeaders.CONNECTION, "close"));
                    closeAfterEnd = true;
                } else {
                    response.setChunked(true);
                }
            }
        });
    }

    @Override
    @HostAccess.Export
    public boolean write(Value chunk) {
        if (clientGone) {
            return false;
        }
        byte[] bytes = bytes(chunk);
        int length = bytes.length;
        if (remaining >= 0) {
            // Never send more than the application declared (PEP 3333).
            length = (int) Math.min(length, remaining);
            remaining -= length;
        }
        if (length == 0 || headOnly) {
            return true;
        }
        Buffer buffer = Buffer.buffer(bytes).slice(0, length);
        watch.chunkWritten();
        lock.lock();
        try {
            unsent += length;
        } finally {
            lock.unlock();
        }
        final int sent = length;
        loop.runOnContext(v -> (response.closed() || response.ended() || failedHead ? io.vertx.core.Future.<Void>succeededFuture() : response.write(buffer)).onComplete(r -> {
            lock.lock();
            try {
                unsent -= sent;
                if (unsent <= LOW_WATER) {
                    drained.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }));
        awaitDrain();
        return !clientGone;
    }

    private void awaitDrain() {
        lock.lock();
        boolean waited = false;
        try {
            while (unsent > HIGH_WATER && !clientGone) {
                if (!waited) {
                    waited = true;
                    watch.waitingForClient(true);
                }
                drained.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
            if (waited) {
                watch.waitingForClient(false);
            }
        }
    }

    private void signalDrained() {
        lock.lock();
        try {
            drained.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void finish() {
        boolean shortBody = remaining > 0 && !headOnly;
        onLoop(() -> {
            if (shortBody) {
                // The application sent less than its Content-Length: the client must not wait for the rest.
                response.reset();
            } else if (closeAfterEnd) {
                response.end().onComplete(done -> connection.close());
            } else {
                response.end();
            }
        });
    }

    @Override
    public void complete(ResponseHead head, Value body) {
        Buffer buffer = Buffer.buffer(bytes(body));
        long declared = head.declaredLength();
        if (declared >= 0 && declared < buffer.length()) {
            buffer = buffer.slice(0, (int) declared);
        }
        Buffer out = buffer;
        onLoop(() -> {
            if (!applied(head)) {
                return;
            }
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(out.length()));
            if (headOnly) {
                response.end();
            } else {
                response.end(out);
            }
        });
    }

    @Override
    public void sendFile(ResponseHead head, FileChannel file, long offset) {
        long declared = head.declaredLength();
        loop.runOnContext(v -> {
            if (response.closed() || response.ended() || !applied(head)) {
                closeQuietly(file);
                return;
            }
            response.headers().remove(HttpHeaders.CONTENT_LENGTH);
            if (headOnly) {
                closeQuietly(file);
                response.end();
                return;
            }
            response.sendFile(file, offset, declared >= 0 ? declared : Long.MAX_VALUE).onComplete(sent -> {
                closeQuietly(file);
                if (sent.failed() && !response.closed()) {
                    // The head may be out already: the client must not wait for the rest until the idle timeout.
                    if (response.headWritten()) {
                        connection.close();
                    } else {
                        ErrorResponses.send(response, 500, "the server could not send the file");
                    }
                }
            });
        });
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (java.io.IOException ignored) {
            // nothing was lost: the channel was only read
        }
    }

    @Override
    public void fail(int status, String message) {
        boolean headersSent = started;
        onLoop(() -> {
            if (!headersSent && !response.headWritten()) {
                ErrorResponses.send(response, status, message);
            } else {
                response.reset();
            }
        });
    }

    /**
     * Runs on the connection's event loop, unless the client has gone or the response was already
     * answered (a request stopped by its budget is answered at once; the worker's late answer is dropped).
     */
    private void onLoop(Runnable action) {
        loop.runOnContext(v -> {
            if (!response.closed() && !response.ended()) {
                action.run();
            }
        });
    }

    /**
     * Puts the application's status and headers on the response; false, with a 500 sent instead, when
     * the HTTP layer refuses them (the driver checks names and values first, so this is the last guard:
     * an exception here would leave the response open on the event loop).
     */
    private boolean applied(ResponseHead head) {
        try {
            response.setStatusCode(head.status());
            if (!head.reason().isEmpty()) {
                response.setStatusMessage(head.reason());
            }
            copyHeaders(head, response.headers());
            return true;
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, "the application's response head was refused: " + e.getMessage());
            response.headers().clear();
            response.setStatusMessage(HttpResponseStatus.INTERNAL_SERVER_ERROR.reasonPhrase());
            response.putHeader(HttpHeaders.CONNECTION, "close");
            ErrorResponses.send(response, 500, "the application sent an invalid response header");
            failedHead = true;
            return false;
        }
    }

    /** The application's headers into the response's, which already hold the server's Date and Server. */
    static void copyHeaders(ResponseHead head, MultiMap out) {
        for (int i = 0; i < head.headerCount(); i++) {
            String name = head.name(i);
            // The server's Date and Server give way to the application's, rather than being duplicated.
            if (name.equalsIgnoreCase("date") || name.equalsIgnoreCase("server")) {
                out.set(name, head.value(i));
            } else {
                out.add(name, head.value(i));
            }
        }
    }

    private static byte[] bytes(Value pythonBytes) {
        byte[] out = new byte[(int) pythonBytes.getBufferSize()];
        if (out.length > 0) {
            pythonBytes.readBuffer(0, out, 0, out.length);
        }
        return out;
    }
}
