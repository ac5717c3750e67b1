package dev.corral.server.egress;

import dev.corral.server.egress.EgressRule.AddressRange;
import dev.corral.server.egress.EgressRule.HostName;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where bundle code may connect: the declared rules, and the guarded ranges that only a rule naming
 * them by address opens (link-local metadata endpoints, the node, the API server). A pure decision
 * on the address the kernel would be given, so a name that resolves differently at connect time, an
 * IP literal or a lower-level module all meet the same answer.
 */
public record EgressPolicy(List<EgressRule> rules, List<Guarded> guarded) {
    /** A range no host name and no wider range may reach, and why, for the refusal. */
    public record Guarded(AddressRange range, String what) {
    }

    /**
     * Cloud metadata services and the rest of link-local: 169.254.169.254 (AWS, GCP, Azure, OpenStack),
     * AWS's IPv6 fd00:ec2::254, and fe80::/10.
     */
    public static final List<Guarded> LINK_LOCAL = List.of(
            new Guarded(new AddressRange(InetAddress.ofLiteral("169.254.0.0"), 16), "a link-local (cloud metadata) address"),
            new Guarded(new AddressRange(InetAddress.ofLiteral("fe80::"), 10), "a link-local (cloud metadata) address"),
            new Guarded(AddressRange.of(InetAddress.ofLiteral("fd00:ec2::254")), "a cloud metadata address"));

    /** The setting that declares egress, named in every refusal. */
    public static final String DECLARED_BY = "the WebApp's spec.egress (server setting --egress, CORRAL_EGRESS)";

    public EgressPolicy {
        rules = List.copyOf(rules);
        guarded = List.copyOf(guarded);
    }

    /** The rules, with the link-local ranges and {@code guardedAddresses} (the node, the API server) guarded. */
    public static EgressPolicy of(List<EgressRule> rules, List<Guarded> guardedAddresses) {
        List<Guarded> all = new ArrayList<>(LINK_LOCAL);
        all.addAll(guardedAddresses);
        return new EgressPolicy(rules, all);
    }

    /** Resolves a declared host name to its current addresses. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String name) throws UnknownHostException;
    }

    /** What {@link #decide} answers. */
    public sealed interface Decision permits Allowed, Refused {
    }

    /** Allowed by {@code rule}. */
    public record Allowed(EgressRule rule) implements Decision {
    }

    /** Refused, with a message naming the destination and what would allow it. */
    public record Refused(String message) implements Decision {
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Decides a connect (or datagram) to {@code address}:{@code port}. */
    public Decision decide(InetAddress address, int port, Resolver resolver) {
        InetAddress target = canonical(address);
        Guarded guard = guarded.stream().filter(g -> g.range().contains(target)).findFirst().orElse(null);
        for (EgressRule rule : rules) {
            if (!rule.coversPort(port)) {
                continue;
            }
            boolean allows = switch (rule.target()) {
                // A guarded address is named only by a range that lies inside the guarded one (its own address).
                case AddressRange range -> range.contains(target) && (guard == null || guard.range().covers(range));
                case HostName name -> guard == null && resolves(name, target, resolver);
            };
            if (allows) {
                return new Allowed(rule);
            }
        }
        String destination = destination(target, port);
        if (guard != null) {
            return new Refused("connect to " + destination + " refused: it is " + guard.what() + ", which only a rule naming"
                    + " that address itself opens (" + literal(target) + ":" + port + " in " + DECLARED_BY + ")");
        }
        String declared = rules.isEmpty() ? "nothing is declared" : "declared: " + String.join(", ", rules.stream().map(EgressRule::toString).toList());
        return new Refused("connect to " + destination + " refused: not in " + DECLARED_BY + "; " + declared
                + ". Add the database or service this app needs there, e.g. " + literal(target) + ":" + port);
    }

    private static boolean resolves(HostName name, InetAddress target, Resolver resolver) {
        try {
            for (InetAddress candidate : resolver.resolve(name.name())) {
                if (canonical(candidate).equals(target)) {
                    return true;
                }
            }
        } catch (UnknownHostException unresolvable) {
            // A name that does not resolve now allows nothing now.
        }
        return false;
    }

    /**
     * The address the kernel would reach: an IPv4-mapped IPv6 address as the IPv4 one, the wildcard
     * address as loopback (what connecting to it reaches on Linux).
     */
    static InetAddress canonical(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                return InetAddress.ofLiteral((b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff));
            }
        }
        if (address.isAnyLocalAddress()) {
            return address instanceof Inet4Address ? InetAddress.ofLiteral("127.0.0.1") : InetAddress.ofLiteral("::1");
        }
        return address;
    }

    private static String literal(InetAddress address) {
        return address instanceof Inet4Address ? address.getHostAddress() : "[" + address.getHostAddress() + "]";
    }

    private static String destination(InetAddress address, int port) {
        return literal(address) + ":" + port;
    }
}
