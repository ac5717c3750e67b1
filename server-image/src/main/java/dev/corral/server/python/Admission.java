package dev.corral.server.python;

/** What became of a request offered to the worker queue. */
public enum Admission {
    QUEUED(""),
    /** As many requests wait as the queue holds. */
    QUEUE_FULL("queue_full"),
    /** The requests already waiting would keep this one past the longest wait allowed. */
    WAIT_TOO_LONG("queue_wait");

    private final String reason;

    Admission(String reason) {
        this.reason = reason;
    }

    /** The {@code reason} label of a refusal in {@code corral_requests_rejected_total}. */
    public String reason() {
        return reason;
    }
}
