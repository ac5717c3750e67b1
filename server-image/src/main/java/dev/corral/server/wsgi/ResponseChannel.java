package dev.corral.server.wsgi;

import org.graalvm.polyglot.Value;

import java.nio.channels.FileChannel;

/**
 * Where a worker sends one request's response. Called on the worker thread; implementations hand the
 * actual writes to the connection's event loop. {@link #start} and {@link #write} are also called from
 * Python (streamed bodies and {@code write()}), so implementations export them with {@code @HostAccess.Export}.
 */
public interface ResponseChannel {
    /** Sends status and headers of a streamed response, packed as {@link ResponseHead} describes. */
    void start(String head);

    /** Sends one chunk of a streamed body; blocks while the client is slow. False once the client has gone. */
    boolean write(Value chunk);

    /** Ends a streamed response. */
    void finish();

    /** Sends a whole response at once: the common case of a list or tuple body. */
    void complete(ResponseHead head, Value body);

    /** Sends an opened file's contents from {@code offset} on with sendfile(); closes the channel when done. */
    void sendFile(ResponseHead head, FileChannel file, long offset);

    /** The request failed: this status and line if nothing was sent yet, else the connection is cut. */
    void fail(int status, String message);

    /** Whether the client left before the response was done: a call still queued need not run at all. */
    default boolean clientHasGone() {
        return false;
    }

    /** Tells {@code watch}, on the worker thread, of each streamed chunk and of each wait for a slow client. */
    default void watchStream(StreamWatch watch) {
    }
}
