package dev.corral.server.egress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One destination bundle code may connect to: an address range (an IP is a range of one) or a host
 * name resolved by the server when a connect is checked, and a port or port range. Written as
 * {@code host:port}, {@code host:first-last}, {@code 10.0.0.0/8:5432} or {@code [fd00::/8]:443}.
 */
public record EgressRule(Target target, int firstPort, int lastPort) {
    private static final Pattern RULE = Pattern.compile("(?:\\[(?<v6>[0-9A-Fa-f:.]+(?:/\\d{1,3})?)]|(?<host>[^\\s:\\[\\]/]+(?:/\\d{1,2})?))"
            + ":(?<first>\\d{1,5})(?:-(?<last>\\d{1,5}))?");
    private static final Pattern HOST_NAME = Pattern.compile("(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");

    /** What a rule names: an address range, or a host name whose current addresses are allowed. */
    public sealed interface Target permits AddressRange, HostName {
    }

    /** Addresses sharing the first {@code prefix} bits with {@code network}. */
    public record AddressRange(InetAddress network, int prefix) implements Target {
        public AddressRange {
            int bits = network.getAddress().length * 8;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("prefix /" + prefix + " is outside 0-" + bits);
            }
        }

        /** A range of one address. */
        public static AddressRange of(InetAddress address) {
            return new AddressRange(address, address.getAddress().length * 8);
        }

        public boolean contains(InetAddress address) {
            byte[] net = network.getAddress();
            byte[] candidate = address.getAddress();
            if (net.length != candidate.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (net[i] != candidate[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (net[full] & mask) == (candidate[full] & mask);
        }

        /** Whether every address of {@code other} is in this range. */
        public boolean covers(AddressRange other) {
            return other.prefix >= prefix && contains(other.network);
        }

        @Override
        public String toString() {
            String host = network.getHostAddress();
            boolean single = prefix == network.getAddress().length * 8;
            String text = single ? host : host + "/" + prefix;
            return network instanceof Inet4Address ? text : "[" + text + "]";
        }
    }

    /** A DNS name (or one from /etc/hosts), resolved by the JVM when a connect is checked. */
    public record HostName(String name) implements Target {
        @Override
        public String toString() {
            return name;
        }
    }

    public EgressRule {
        if (firstPort < 1 || lastPort > 65535 || firstPort > lastPort) {
            throw new IllegalArgumentException("ports " + firstPort + "-" + lastPort + " are not a range within 1-65535");
        }
    }

    public boolean coversPort(int port) {
        return port >= firstPort && port <= lastPort;
    }

    /**
     * One rule, as {@code --egress} and {@code spec.egress} write it.
     *
     * @throws IllegalArgumentException saying what is wrong and what is accepted
     */
    public static EgressRule parse(String text) {
        String trimmed = text.trim();
        Matcher m = RULE.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + trimmed + "' is not host:port, host:first-last, address/prefix:port or"
                    + " [ipv6]:port (e.g. db.example.com:5432, 10.0.0.0/8:443, [fd00::1]:6379)");
        }
        int first = Integer.parseInt(m.group("first"));
        int last = m.group("last") == null ? first : Integer.parseInt(m.group("last"));
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("'" + trimmed + "': the port must be 1-65535 (a range low-high)");
        }
        String v6 = m.group("v6");
        Target target = v6 != null ? range(v6, true, trimmed) : target(m.group("host"), trimmed);
        return new EgressRule(target, first, last);
    }

    /** A comma-separated list; blanks between commas are skipped. */
    public static List<EgressRule> parseList(String text) {
        List<EgressRule> rules = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                rules.add(parse(part));
            }
        }
        return List.copyOf(rules);
    }

    private static Target target(String host, String rule) {
        if (host.contains("/") || IPV4.matcher(host).matches()) {
            return range(host, false, rule);
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + rule + "': '" + host + "' is not a host name or an IPv4 address");
        }
        return new HostName(host.toLowerCase(Locale.ROOT));
    }

    private static AddressRange range(String text, boolean v6, String rule) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (!v6 && !IPV4.matcher(address).matches()) {
            throw new IllegalArgumentException("'" + rule + "': a range needs an IP address before the /, e.g. 10.0.0.0/8");
        }
        InetAddress network;
        try {
            // ofLiteral never looks a name up (getByName would, for "999.1.1.1").
            network = InetAddress.ofLiteral(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + rule + "': '" + address + "' is not an IP address");
        }
        if (!v6 && !(network instanceof Inet4Address)) {
            throw new IllegalArgumentException("'" + rule + "': '" + address + "' is not an IPv4 address");
        }
        int bits = network.getAddress().length * 8;
        int prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
        if (prefix > bits) {
            throw new IllegalArgumentException("'" + rule + "': /" + prefix + " is longer than the address (" + bits + " bits)");
        }
        return new AddressRange(network, prefix);
    }

    @Override
    public String toString() {
        return target + ":" + (firstPort == lastPort ? Integer.toString(firstPort) : firstPort + "-" + lastPort);
    }
}
