package dev.corral.server.egress.gate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The point every outgoing TCP connect and UDP datagram of this JVM passes before it reaches the
 * kernel: {@link ConnectHookAgent} puts a call to it at the start of the JDK's own
 * {@code sun.nio.ch.Net.connect} (behind {@code SocketChannel}, {@code Socket} and a connected
 * {@code DatagramChannel}) and {@code DatagramChannelImpl.send}. GraalPy's sockets are those JDK
 * channels, so Python reaches the network only through here, whatever module it goes through.
 *
 * <p>Static because the JDK methods that call it are: this class is loaded by the boot class loader
 * (the agent jar's {@code Boot-Class-Path}) so that {@code java.base} can see it. The server installs its
 * check once at start; until then, once hooked, every connect is refused (the fence fails closed).
 */
public final class ConnectGate {
    /** Decides one destination; throws to refuse it (an {@link IOException}, so callers treat it as a failed connect). */
    @FunctionalInterface
    public interface Check {
        void check(InetAddress address, int port) throws IOException;
    }

    private static volatile Check check;
    private static final Set<String> HOOKED = ConcurrentHashMap.newKeySet();
    private static volatile boolean complete;

    private ConnectGate() {
    }

    /** Called by the hooked {@code Net.connect}: the address is the one the kernel would be given. */
    public static void beforeConnect(InetAddress address, int port) throws IOException {
        Check current = check;
        if (current == null) {
            throw new java.net.ConnectException("connect to " + address.getHostAddress() + ":" + port
                    + " refused: the server's egress check is not installed yet");
        }
        current.check(address, port);
    }

    /** Called by the hooked {@code DatagramChannelImpl.send}, before the JDK resolves or checks the target itself. */
    public static void beforeSend(SocketAddress target) throws IOException {
        if (target instanceof InetSocketAddress inet && !inet.isUnresolved()) {
            beforeConnect(inet.getAddress(), inet.getPort());
        }
        // Anything else (null, unresolved, another family) the JDK refuses on its own before sending.
    }

    /** Installs the server's check; every later connect of the JVM goes through it. */
    public static void install(Check serverCheck) {
        check = java.util.Objects.requireNonNull(serverCheck);
    }

    /** The JDK methods the agent has rewritten, e.g. {@code sun.nio.ch.Net.connect}; empty without the agent. */
    public static Set<String> hooked() {
        return Set.copyOf(HOOKED);
    }

    /** Whether the agent hooked every method it hooks: only then does the check see every connect. */
    public static boolean complete() {
        return complete;
    }

    static void markHooked(String method) {
        HOOKED.add(method);
    }

    static void markComplete() {
        complete = true;
    }
}
