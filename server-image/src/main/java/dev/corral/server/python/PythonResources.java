package dev.corral.server.python;

import org.graalvm.polyglot.Engine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Copies GraalPy's internal resources (its standard library) into a directory at image build time.
 * The launcher points {@code polyglot.engine.resourcePath} at it, so a pod with a read-only root
 * filesystem never needs to unpack them into a home cache.
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
    }
}
