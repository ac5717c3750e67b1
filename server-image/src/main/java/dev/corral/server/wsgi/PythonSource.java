package dev.corral.server.wsgi;

import org.graalvm.polyglot.Source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;

/** The server's own Python files, shipped as resources beside the classes that evaluate them. */
public final class PythonSource {
    private PythonSource() {
    }

    /** {@code name} next to {@code owner} in the jar, named as tracebacks show it. */
    public static Source of(Class<?> owner, String name) {
        URL url = owner.getResource(name);
        if (url == null) {
            throw new IllegalStateException(name + " missing from the server jar");
        }
        try {
            return Source.newBuilder("python", url).name(name).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
