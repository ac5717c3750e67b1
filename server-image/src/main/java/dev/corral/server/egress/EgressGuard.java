package dev.corral.server.egress;

import dev.corral.server.egress.gate.ConnectGate;
import org.graalvm.polyglot.HostAccess;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's check behind {@link ConnectGate}: every connect of the process is decided by the
 * {@link EgressPolicy}, counted, and a refusal thrown as an {@link EgressRefusedException}. The refusal's
 * message is kept for the thread that met it, so the Python side can raise it in place of GraalPy's
 * bare "Permission denied" (its errno mapping drops Java's message).
 */
public final class EgressGuard implements ConnectGate.Check {
    private static final System.Logger LOG = System.getLogger(EgressGuard.class.getName());
    /** Each refused destination is logged once (a driver retrying in a loop would flood the log), up to this many. */
    private static final int LOGGED_DESTINATIONS = 1000;

    /** What the guard reports, for metrics. */
    public interface Listener {
        void connect(boolean allowed);
    }

    private final EgressPolicy policy;
    private final EgressPolicy.Resolver resolver;
    private final Listener listener;
    private final ThreadLocal<String> lastRefusal = new ThreadLocal<>();
    private final ThreadLocal<ConnectDeadline> deadline = new ThreadLocal<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    /** Fires connect deadlines; one daemon thread, idle unless a connect is in progress. */
    private final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("corral-connect-deadlines").unstarted(r));

    public EgressGuard(EgressPolicy policy, EgressPolicy.Resolver resolver, Listener listener) {
        this.policy = policy;
        this.resolver = resolver;
        this.listener = listener;
    }

    /** Resolves declared names with the JVM's resolver (and its cache, networkaddress.cache.ttl). */
    public static EgressPolicy.Resolver systemResolver() {
        return name -> List.of(InetAddress.getAllByName(name));
    }

    public EgressPolicy policy() {
        return policy;
    }

    @Override
    public void check(InetAddress address, int port) throws IOException {
        EgressPolicy.Decision decision = policy.decide(address, port, resolver);
        if (decision instanceof EgressPolicy.Refused refused) {
            lastRefusal.set(refused.message());
            listener.connect(false);
            String destination = address.getHostAddress() + ":" + port;
            if (logged.size() < LOGGED_DESTINATIONS && logged.add(destination)) {
                LOG.log(System.Logger.Level.WARNING, refused.message());
            }
            throw new EgressRefusedException(destination, refused.message());
        }
        lastRefusal.remove();
        listener.connect(true);
    }

    /**
     * GraalPy 25.0 connects in blocking mode whatever the socket's timeout (its channel is opened and
     * connected before the timeout is applied), so a dead address held a worker for the kernel's SYN
     * retries, about two minutes. The Python side calls this before a connect with a timeout: past it, the
     * connecting thread is interrupted, which closes the channel the JDK is blocked in, and
     * {@link #connectDone()} says so, for Python to raise TimeoutError as CPython does.
     */
    @HostAccess.Export
    public void connectDeadline(double seconds) {
        connectDone();
        ConnectDeadline next = new ConnectDeadline(Thread.currentThread());
        next.task = timer.schedule(next::fire, Math.max(1, (long) (seconds * 1000)), java.util.concurrent.TimeUnit.MILLISECONDS);
        deadline.set(next);
    }

    /** Ends this thread's connect deadline; true when it fired (the connect was cut for taking too long). */
    @HostAccess.Export
    public boolean connectDone() {
        ConnectDeadline current = deadline.get();
        if (current == null) {
            return false;
        }
        deadline.remove();
        return current.end();
    }

    /** One connect's deadline: fires at most once, and never after its connect has ended. */
    private static final class ConnectDeadline {
        private final Thread thread;
        private java.util.concurrent.ScheduledFuture<?> task;
        private boolean ended;
        private boolean fired;

        ConnectDeadline(Thread thread) {
            this.thread = thread;
        }

        synchronized void fire() {
            if (!ended) {
                fired = true;
                thread.interrupt();
            }
        }

        boolean end() {
            boolean cut;
            synchronized (this) {
                ended = true;
                cut = fired;
            }
            task.cancel(false);
            if (cut) {
                // The interrupt did its work (or came as the connect ended): it must not reach the next blocking call.
                Thread.interrupted();
            }
            return cut;
        }
    }

    /** The message of this thread's last refused connect, once; null when its last connect was allowed. */
    @HostAccess.Export
    public String takeRefusal() {
        String message = lastRefusal.get();
        lastRefusal.remove();
        return message;
    }
}
