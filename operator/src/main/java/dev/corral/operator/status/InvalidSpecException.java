package dev.corral.operator.status;

import java.util.List;

/** A WebApp's spec cannot be honoured; the message lists what to fix. Reported as Ready=False/InvalidSpec. */
public final class InvalidSpecException extends RuntimeException {
    public InvalidSpecException(List<String> problems) {
        super(String.join("; ", problems));
    }
}
