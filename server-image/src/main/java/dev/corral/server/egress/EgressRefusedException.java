package dev.corral.server.egress;

/**
 * A connect the egress policy refused. An {@link java.nio.file.AccessDeniedException} because that is
 * the I/O failure GraalPy turns into Python's {@code PermissionError} (errno EACCES), as the kernel's
 * own refusal by a firewall would be; Java callers see an IOException like any failed connect.
 */
public final class EgressRefusedException extends java.nio.file.AccessDeniedException {
    public EgressRefusedException(String destination, String message) {
        super(destination, null, message);
    }

    @Override
    public String getMessage() {
        return getReason();
    }
}
