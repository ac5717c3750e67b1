package dev.corral.server.python;

import org.graalvm.polyglot.Value;

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

    /** Sends a file's contents from {@code offset} on with sendfile(). */
    void sendFile(ResponseHead head, String path, long offset);

    /** The request failed: this status and line if nothing was sent yet, else the connection is cut. */
    void fail(int status, String message);
}
