package dev.corral.server.bundle;

/** A bundle that cannot be served as given: missing, malformed manifest, unsafe or unreadable archive. */
public final class BundleException extends Exception {
    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
