package dev.corral.server.lifecycle;

/** The server cannot start; carries the exit code the process should end with. */
public final class StartupException extends Exception {
    private final ExitCode exitCode;

    public StartupException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
