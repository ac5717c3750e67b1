package dev.corral.server.python;

/** The bundle's application could not be imported; the message holds the Python traceback. */
public final class BundleImportException extends Exception {
    public BundleImportException(String message) {
        super(message);
    }
}
