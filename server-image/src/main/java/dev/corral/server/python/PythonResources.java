package dev.corral.server.python;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Copies GraalPy's internal resources (its standard library) into a directory at image build time,
 * and compiles the standard library to bytecode there. The launcher points
 * {@code polyglot.engine.resourcePath} at it, so a pod with a read-only root filesystem never needs to
 * unpack them into a home cache, and never parses a standard-library module at start: Bottle's import
 * (about 100 modules: email, http, json, ssl, inspect...) took 16-18.5 s cold from source and 11 s
 * from bytecode.
 */
public final class PythonResources {
    private PythonResources() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: PythonResources TARGET_DIR");
            System.exit(64);
        }
        Path target = Path.of(args[0]);
        if (!Engine.copyResources(target, "python")) {
            System.err.println("GraalPy resources are not available to copy");
            System.exit(70);
        }
        System.out.println("copied GraalPy resources to " + target.toAbsolutePath());
        Path lib = standardLibrary(target);
        long compiled = compile(lib);
        System.out.println("compiled " + compiled + " standard-library modules to bytecode in " + lib);
    }

    /** The directory holding {@code os.py}: {@code python/python-home/lib/python3.N}. */
    static Path standardLibrary(Path resources) throws IOException {
        try (Stream<Path> found = Files.find(resources, 6, (p, a) -> p.getFileName().toString().equals("os.py")
                && p.getParent().getFileName().toString().startsWith("python3"))) {
            return found.findFirst().orElseThrow(() -> new IOException("no standard library (os.py) under " + resources)).getParent();
        }
    }

    /**
     * Compiles every module into {@code __pycache__} next to it, as unchecked-hash .pyc (PEP 552): the
     * library never changes after the build, and an image copy that does not keep file times must not
     * make them stale. Modules that do not compile (test data with old syntax) are skipped.
     */
    static long compile(Path lib) throws IOException {
        try (Context python = Context.newBuilder("python").allowAllAccess(true)
                .option("engine.WarnInterpreterOnly", "false").build()) {
            python.eval("python", """
                    def compile_library(path):
                        import compileall, py_compile, re
                        compileall.compile_dir(path, quiet=2, workers=1,
                                               rx=re.compile(r'[/\\\\](test|tests|idlelib|tkinter|turtledemo)[/\\\\]'),
                                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
                    """);
            python.getBindings("python").getMember("compile_library").execute(lib.toString());
        }
        try (Stream<Path> pyc = Files.walk(lib)) {
            return pyc.filter(p -> p.toString().endsWith(".pyc")).count();
        }
    }
}
