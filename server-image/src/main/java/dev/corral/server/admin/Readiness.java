package dev.corral.server.admin;

/** Whether the pod should get traffic: starting (bundle loading, warm-up), ready, or draining after SIGTERM. */
public final class Readiness {
    /** The server's traffic state, as {@code /readyz} reports it. */
    public enum State { STARTING, READY, DRAINING }

    private volatile State state = State.STARTING;

    public State state() {
        return state;
    }

    public void ready() {
        if (state == State.STARTING) {
            state = State.READY;
        }
    }

    public void draining() {
        state = State.DRAINING;
    }
}
