package dev.corral.server.python;

import dev.corral.server.budget.Breach;
import dev.corral.server.wsgi.StreamWatch;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request while a worker runs it: when it began and what its thread had used by then, so the
 * supervisor can measure it, and a small state machine so that stopping it can never spill onto the
 * worker's next request. RUNNING ends either DONE (the worker finished first) or BREACHED (the
 * supervisor caught it first, or the worker found a memory overrun as the handler returned); after a
 * supervisor's BREACHED the worker waits for the enforcement to settle.
 */
final class ActiveCall implements StreamWatch {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int RUNNING = 0;
    private static final int BREACHED = 1;
    private static final int DONE = 2;

    final WsgiCall call;
    final WsgiApplication app;
    final long threadId;
    private final long startNanos;
    /** The thread's CPU time when the supervisor first saw this call; -1 until then. */
    private volatile long cpuStart = -1;
    /** Allocation, budget clock and CPU are measured from here: the call's start, then each streamed chunk. */
    private volatile long allocatedStart;
    private volatile long budgetStartNanos;
    private volatile boolean clientWait;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final CompletableFuture<Void> enforced = new CompletableFuture<>();
    private volatile Breach breach;
    private volatile long breachedAtNanos;
    /** Set on the worker thread, read there: no need for volatile. */
    private boolean claimedByWorker;

    /** Begins a call on the current (worker) thread. */
    ActiveCall(WsgiCall call, WsgiApplication app) {
        this.call = call;
        this.app = app;
        this.threadId = Thread.currentThread().threadId();
        this.startNanos = System.nanoTime();
        // No CPU clock read here: a thread's CPU time is a system call (clock_gettime has no vDSO path for
        // thread clocks), one per request on the hot path. The supervisor takes the baseline at its first
        // look instead, so CPU used before that (at most one tick, 5 ms) is not counted, and the many
        // requests that finish within a tick never read the clock at all.
        this.allocatedStart = THREADS.getCurrentThreadAllocatedBytes();
        this.budgetStartNanos = startNanos;
    }

    /**
     * A streamed chunk went to the socket (called on the worker thread): the budget starts over, so it
     * bounds the work between two chunks rather than the whole stream. A download of any length that
     * keeps moving is not cut; a handler that spins or hoards between chunks still is.
     */
    @Override
    public void chunkWritten() {
        allocatedStart = THREADS.getCurrentThreadAllocatedBytes();
        budgetStartNanos = System.nanoTime();
        cpuStart = -1;
    }

    /** While the worker waits for a slow client to drain the socket, the budget is not the handler's to spend. */
    @Override
    public void waitingForClient(boolean waiting) {
        if (!waiting) {
            chunkWritten();
        }
        clientWait = waiting;
    }

    /** When the call began ({@link System#nanoTime()}). */
    long startNanos() {
        return startNanos;
    }

    /** Measures the call from the supervisor's thread; null while it is within its budget. */
    Breach check(long nowNanos) {
        if (call.budget().isUnlimited() || clientWait) {
            return null;
        }
        long cpuNow = THREADS.getThreadCpuTime(threadId);
        if (cpuStart < 0) {
            cpuStart = cpuNow;
        }
        long cpu = cpuNow - cpuStart;
        long allocated = THREADS.getThreadAllocatedBytes(threadId) - allocatedStart;
        return call.budget().check(nowNanos - budgetStartNanos, cpu, allocated);
    }

    /**
     * Checked on the worker thread as the handler returns, before its response is committed: the breach
     * that must answer instead, or null. Either the supervisor caught the call but its interrupt arrived
     * after the handler had returned, or the call is past its memory budget and the supervisor has not
     * looked yet: it looks once a tick (5 ms, and later on a loaded machine), and a handler can allocate far
     * past its budget and return in less (CI saw 200 for 100 MiB against 32 MiB). Either way the answer
     * must not depend on where the tick fell. Only memory is measured here: time and CPU cannot run far past
     * a budget within a tick, and reading allocation is a counter read, not a system call.
     */
    Breach overrunAtReturn() {
        if (state.get() == BREACHED) {
            return breach;
        }
        long budget = call.budget().memoryBytes();
        if (budget == 0 || clientWait) {
            return null;
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedStart;
        if (allocated <= budget) {
            return null;
        }
        if (!state.compareAndSet(RUNNING, BREACHED)) {
            return breach; // the supervisor claimed it just now
        }
        breach = call.budget().check(0, 0, allocated);
        breachedAtNanos = System.nanoTime();
        claimedByWorker = true;
        // Nobody else enforces this breach: the worker answers it itself, so settle() must not wait.
        enforced.complete(null);
        return breach;
    }

    /** Whether the worker, not the supervisor, found the breach (so it is the worker's to count). */
    boolean claimedByWorker() {
        return claimedByWorker;
    }

    /** Claims the call for stopping; false when the worker already finished it. */
    boolean markBreached(Breach found) {
        breach = found;
        breachedAtNanos = System.nanoTime();
        return state.compareAndSet(RUNNING, BREACHED);
    }

    /** Milliseconds from the supervisor catching the breach until now: how long stopping took. */
    long millisSinceBreach() {
        return (System.nanoTime() - breachedAtNanos) / 1_000_000;
    }

    Breach breach() {
        return state.get() == BREACHED ? breach : null;
    }

    /** The supervisor is done stopping this call (interrupted, or cancelled). */
    void enforced() {
        enforced.complete(null);
    }

    /** Called by the worker when the call is over; waits for a concurrent enforcement to settle. */
    void settle() {
        if (!state.compareAndSet(RUNNING, DONE)) {
            enforced.join();
        }
    }
}
