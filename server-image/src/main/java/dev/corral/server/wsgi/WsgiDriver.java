package dev.corral.server.wsgi;

import org.graalvm.polyglot.Source;

/**
 * The Python half of the WSGI layer, {@code corral_wsgi.py}: builds each request's environ from the
 * packed pairs ({@link EnvironPairs}), holds the body as a bounded {@code wsgi.input}, enforces the
 * response rules of PEP 3333 (status and header checks, {@code start_response} and {@code exc_info},
 * {@code write()}, {@code close()} always called, {@code wsgi.file_wrapper}) and packs the head the
 * Java half parses ({@link ResponseHead}). Evaluated once per worker context.
 */
public final class WsgiDriver {
    /** The driver's source, named as tracebacks show it. */
    public static final Source SOURCE = PythonSource.of(WsgiDriver.class, "corral_wsgi.py");

    private WsgiDriver() {
    }
}
