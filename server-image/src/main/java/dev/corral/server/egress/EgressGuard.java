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
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

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

    /** The message of this thread's last refused connect, once; null when its last connect was allowed. */
    @HostAccess.Export
    public String takeRefusal() {
        String message = lastRefusal.get();
        lastRefusal.remove();
        return message;
    }
}
