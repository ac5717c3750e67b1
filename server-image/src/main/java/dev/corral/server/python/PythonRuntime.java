package dev.corral.server.python;

import dev.corral.server.egress.EgressGuard;
import dev.corral.server.files.FileBoundary;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.io.FileSystem;
import org.graalvm.polyglot.io.IOAccess;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The one GraalPy engine of the process. Contexts made here share its compiled code, so a new worker
 * runs warmed functions at once, and each is sandboxed: no host class lookup, no processes, no native
 * code (unless the bundle asks for native modules), no threads, files only through
 * {@link BundleFileSystem}, environment only as configured, sockets only to declared egress.
 */
public final class PythonRuntime implements AutoCloseable {
    /** Python may call only methods we mark {@code @HostAccess.Export}, and index the arrays we pass. */
    private static final HostAccess HOST_ACCESS = HostAccess.newBuilder(HostAccess.EXPLICIT).allowArrayAccess(true).build();

    private final Engine engine;
    private final UnicodeDatabase unicode = new UnicodeDatabase();
    private final Bz2Codec bz2 = new Bz2Codec();
    /** Present when the application may open sockets: the check every connect of the process passes. */
    private final java.util.Optional<EgressGuard> egress;

    /** A runtime whose contexts open no sockets. */
    public PythonRuntime() {
        this(java.util.Optional.empty());
    }

    /**
     * A runtime whose contexts may open sockets when {@code egress} is present; the guard must already be
     * installed in {@link dev.corral.server.egress.gate.ConnectGate}, which decides every connect.
     */
    public PythonRuntime(java.util.Optional<EgressGuard> egress) {
        this.egress = egress;
        this.engine = Engine.newBuilder("python")
                .option("engine.WarnInterpreterOnly", "false")
                .build();
    }

    /** {@code GraalVM CE} when the optimizing compiler is active, {@code Interpreted} when it is not. */
    public String implementationName() {
        return engine.getImplementationName();
    }

    /** Whether Python code is JIT-compiled; interpreted Python is about 100x slower on loops. */
    public boolean isCompiled() {
        return !implementationName().toLowerCase(java.util.Locale.ROOT).contains("interpreted");
    }

    /** The guard whose refusals {@code corral_fence.py} turns into PermissionError messages, if sockets are on. */
    java.util.Optional<EgressGuard> egress() {
        return egress;
    }

    /** The bzip2 {@code corral_fence.py} builds {@code _bz2} on. */
    Bz2Codec bz2() {
        return bz2;
    }

    /** The character data {@code corral_fence.py} gives {@code unicodedata} in a fenced context. */
    UnicodeDatabase unicode() {
        return unicode;
    }

    /**
     * A new sandboxed context whose files are what {@code readable} allows (the bundle and the temp dir),
     * writable only where {@code writable} allows (the temp dir).
     *
     * <p>With {@code nativeModules} Python may load the standard library's native modules (pyexpat,
     * _sqlite3, ctypes, termios, unicodedata's 3.2.0 data), each context its own copy
     * ({@code python.IsolateNativeModules}, which every context of the process must set alike: the
     * bundle's manifest decides it for all). GraalPy isolates a module by copying its library and
     * renaming it with {@code patchelf}, so the context may start processes too; native code is not
     * held to {@link BundleFileSystem}, so the fence is then the pod's (its container's filesystem),
     * not the interpreter's.
     */
    Context newContext(Path bundleRoot, Path tempDir, FileBoundary readable, FileBoundary writable, Map<String, String> env,
                       boolean nativeModules) {
        Map<String, String> environment = new HashMap<>(env);
        environment.put("TMPDIR", tempDir.toString());
        Context.Builder builder = Context.newBuilder("python");
        if (nativeModules) {
            builder.allowNativeAccess(true)
                    .allowCreateProcess(true)
                    .allowExperimentalOptions(true)
                    .option("python.IsolateNativeModules", "true");
        } else {
            builder.allowNativeAccess(false).allowCreateProcess(false);
        }
        return builder
                .engine(engine)
                .allowHostAccess(HOST_ACCESS)
                .allowHostClassLookup(name -> false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowCreateThread(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .environment(environment)
                // Sockets only with declared egress: GraalPy's are JDK channels, each connect checked by the gate.
                .allowIO(IOAccess.newBuilder().fileSystem(pythonFiles(readable, writable, tempDir))
                        .allowHostSocketAccess(egress.isPresent()).build())
                .currentWorkingDirectory(bundleRoot)
                // The bundle is read-only: never try to write __pycache__ next to it.
                .option("python.DontWriteBytecodeFlag", "true")
                .build();
    }

    /** The bundle's files, plus read access to GraalPy's own home and internal resources (its standard library). */
    private static FileSystem pythonFiles(FileBoundary readable, FileBoundary writable, Path tempDir) {
        return FileSystem.allowInternalResourceAccess(FileSystem.allowLanguageHomeAccess(new BundleFileSystem(readable, writable, tempDir)));
    }

    /** The patchelf GraalPy runs to isolate native modules, if PATH has one. */
    static java.util.Optional<Path> patchelf() {
        String path = System.getenv("PATH");
        if (path == null) {
            return java.util.Optional.empty();
        }
        return java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "patchelf"))
                .filter(java.nio.file.Files::isExecutable)
                .findFirst();
    }

    /** Closes the engine, cancelling anything still running (a worker abandoned inside a long builtin). */
    @Override
    public void close() {
        engine.close(true);
    }
}
