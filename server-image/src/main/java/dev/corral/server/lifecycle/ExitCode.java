package dev.corral.server.lifecycle;

/**
 * The server's exit codes are a contract (docs/operations list them): each start-up failure has its own
 * code, so an orchestrator tells "bad bundle" from "crash" without reading logs.
 */
public enum ExitCode {
    /** Stopped by SIGTERM or SIGINT after draining. */
    OK(0),
    /** A flag or environment variable is invalid; the message names it. */
    BAD_CONFIGURATION(64),
    /** The bundle is missing, its manifest is invalid, or its archive is unsafe or corrupt. */
    BUNDLE_INVALID(65),
    /** The application failed to import; the Python traceback is in the log. */
    BUNDLE_IMPORT_FAILED(66),
    /** Production mode and Python would run interpreted: the JIT is not on the module path. */
    RUNTIME_NOT_COMPILED(69),
    /** A port could not be bound. */
    CANNOT_BIND(71),
    /** Drain did not finish within the deadline; in-flight requests were cut. */
    DRAIN_TIMED_OUT(75),
    /** An unexpected failure inside the server (a bug); the stack trace is in the log. */
    INTERNAL_ERROR(70),
    /** The launcher found no Java runtime in the distribution (runtime/): it must be rebuilt. */
    NO_JAVA(78);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
