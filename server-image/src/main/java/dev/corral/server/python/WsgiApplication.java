package dev.corral.server.python;

import dev.corral.server.budget.Breach;
import dev.corral.server.bundle.Bundle;
import dev.corral.server.files.FileBoundary;
import dev.corral.server.wsgi.PythonSource;
import dev.corral.server.wsgi.ResponseChannel;
import dev.corral.server.wsgi.ResponseHead;
import dev.corral.server.wsgi.WsgiDriver;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The bundle's WSGI application imported into one context, and the driver that calls it per request. */
final class WsgiApplication implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WsgiApplication.class.getName());
    private static final Source DRIVER = WsgiDriver.SOURCE;
    private static final Source FENCE = PythonSource.of(WsgiApplication.class, "corral_fence.py");
    /**
     * Run after an interrupt has unwound a stopped request. The interrupt stays in force until the request
     * has left Python, so its own finally blocks and context managers get no further than their first
     * statement; what it held (a database connection checked out of its pool, a transaction open on it, a
     * file) is unreachable, and a collection runs the finalizers that release it: SQLAlchemy's pool, for
     * one, closes a connection its request never returned (the database then rolls its transaction back)
     * and frees the slot. Without this, each stop kept a pool slot until some later collection.
     */
    private static final Source SWEEP = Source.create("python", "def _corral_sweep():\n    import gc\n"
            // gc.collect() only queues the finalizers; the second call is a point where the queued ones run.
            + "    gc.collect()\n    gc.collect()\n_corral_sweep");
    /**
     * The system's time-zone database, where zoneinfo looks (its default TZPATH): public data, readable
     * like the bundle. Django opens it at import (TIME_ZONE); refused, zoneinfo raised PermissionError
     * instead of looking further.
     */
    private static final List<Path> TIME_ZONE_DATABASES = java.util.stream.Stream.of("/usr/share/zoneinfo", "/usr/lib/zoneinfo",
            "/usr/share/lib/zoneinfo", "/etc/zoneinfo").map(Path::of).filter(java.nio.file.Files::isDirectory).toList();

    private final Context context;
    private final Value handle;
    private final Value describe;
    /** The sweep after a stopped request; null without declared egress (see {@link #needsSweepAfterStop()}). */
    private final Value sweep;
    /** What Python may read: also what {@code wsgi.file_wrapper} may send. */
    private final FileBoundary readable;

    private WsgiApplication(Context context, Value handle, Value describe, Value sweep, FileBoundary readable) {
        this.context = context;
        this.handle = handle;
        this.describe = describe;
        this.sweep = sweep;
        this.readable = readable;
    }

    static WsgiApplication load(PythonRuntime runtime, Bundle bundle, Path tempDir, Map<String, String> env) throws BundleImportException {
        FileBoundary readable;
        FileBoundary writable;
        try {
            List<Path> readableRoots = new java.util.ArrayList<>(List.of(bundle.root(), tempDir));
            readableRoots.addAll(TIME_ZONE_DATABASES);
            readable = new FileBoundary(readableRoots);
            writable = new FileBoundary(List.of(tempDir));
        } catch (IOException e) {
            throw new BundleImportException("cannot resolve the bundle or the temp dir: " + e.getMessage());
        }
        boolean nativeModules = bundle.manifest().nativeModules();
        if (nativeModules && PythonRuntime.patchelf().isEmpty()) {
            throw new BundleImportException("corral.json sets \"nativeModules\", which needs patchelf on PATH (GraalPy copies each native"
                    + " module per interpreter with it): install it (Debian/Ubuntu: apt-get install patchelf), or remove the key");
        }
        Context context = runtime.newContext(bundle.root(), tempDir, readable, writable, env, nativeModules);
        try {
            context.eval(FENCE);
            context.getBindings("python").getMember("install_fence").execute(runtime.unicode(), runtime.bz2(), nativeModules,
                    runtime.egress().orElse(null));
            context.eval(DRIVER);
            Value driver = context.getBindings("python");
            // traceback is imported at the first failure, not here: on a cold engine its import took 3.4-4 s
            // of the interpreter's start (of about 10 s), and most interpreters never format an error.
            Value describe = context.eval("python",
                    "def _describe(e):\n    import traceback\n    return ''.join(traceback.format_exception(e))\n_describe");
            Value handle;
            try {
                handle = driver.getMember("load").execute(bundle.root().toString(),
                        bundle.manifest().entrypoint().module(), bundle.manifest().entrypoint().callable());
            } catch (PolyglotException e) {
                throw new BundleImportException("cannot import " + bundle.manifest().entrypoint() + " from " + bundle.root()
                        + "\n" + describe(describe, e));
            }
            return new WsgiApplication(context, handle, describe, runtime.egress().isPresent() ? context.eval(SWEEP) : null,
                    readable);
        } catch (BundleImportException | RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /**
     * Runs one request; the response goes to {@code call.response()}, unless the handler returned past a
     * budget ({@link ActiveCall#overrunAtReturn}): then the request fails with the budget's answer and the
     * breach is returned. Python errors come back as PolyglotException.
     */
    Breach call(WsgiCall call, ActiveCall running) {
        // The body crosses as a Latin-1 string, one char per byte, which Python turns back into the same
        // bytes with one encode: GraalPy reads a Java byte[] as signed numbers (bytes() refuses any byte
        // of 0x80 and up) and takes no Java ByteBuffer as a buffer. For Latin-1 the JDK's String is the
        // byte array itself (a copy); 1 MiB crossed in 2.8 ms interpreted.
        byte[] body = call.body();
        Value result = handle.execute(call.environ().packed(), body == null ? null : new String(body, StandardCharsets.ISO_8859_1),
                call.response());
        ResponseChannel out = call.response();
        Breach overrun = running.overrunAtReturn();
        if (overrun != null) {
            // A streamed response is cut (its head is out); a whole one is answered 503 instead.
            out.fail(overrun.kind().status(), overrun.clientMessage());
            return overrun;
        }
        if (result.isNull()) {
            out.finish();
        } else if (result.getArraySize() == 2) {
            out.complete(ResponseHead.parse(result.getArrayElement(0).asString()), result.getArrayElement(1));
        } else {
            sendFile(out, ResponseHead.parse(result.getArrayElement(0).asString()), result.getArrayElement(1).asString(),
                    result.getArrayElement(2).asLong());
        }
        return null;
    }

    /**
     * A {@code wsgi.file_wrapper} over a real file: the name Python opened is resolved once through the
     * same boundary Python's own open() went through, and the opened channel is what gets sent.
     */
    private void sendFile(ResponseChannel out, ResponseHead head, String absoluteName, long offset) {
        FileChannel channel;
        try {
            channel = readable.openForReading(Path.of(absoluteName));
        } catch (IOException | java.nio.file.InvalidPathException e) {
            LOG.log(System.Logger.Level.WARNING, "wsgi.file_wrapper: cannot send " + absoluteName + ": " + e.getMessage());
            out.fail(500, "the server could not send the file");
            return;
        }
        out.sendFile(head, channel, offset);
    }

    /** The Python traceback of a failed call, for the log. */
    String describe(PolyglotException e) {
        return describe(describe, e);
    }

    private static String describe(Value describe, PolyglotException e) {
        if (e.isGuestException() && !e.isInternalError()) {
            try {
                return describe.execute(e.getGuestObject()).asString();
            } catch (RuntimeException ignored) {
                // fall through to the polyglot message
            }
        }
        return e.getMessage();
    }

    /**
     * Whether a stopped request may have left connections behind: only with declared egress. Without it, what a
     * stopped request leaves is memory, which the JVM collects when it needs to, without a full collection now
     * that would pause the next requests (BudgetIT's memory-budget request, queued behind one, was answered 504).
     */
    boolean needsSweepAfterStop() {
        return sweep != null;
    }

    /** Releases what a stopped request left unreachable (see {@link #SWEEP}); failures are logged, never thrown. */
    void sweepAfterStop() {
        try {
            sweep.execute();
        } catch (PolyglotException e) {
            LOG.log(System.Logger.Level.WARNING, "the collection after a stopped request failed: " + e.getMessage());
        }
    }

    /** Stops whatever runs in this interpreter, leaving it usable; waits up to {@code timeout}. */
    void interrupt(java.time.Duration timeout) throws java.util.concurrent.TimeoutException {
        context.interrupt(timeout);
    }

    /** Stops whatever runs and closes the interpreter for good; the worker must take a new one. */
    void cancel() {
        context.close(true);
    }

    @Override
    public void close() {
        context.close(true);
    }
}
