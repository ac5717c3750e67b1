package dev.corral.operator.status;

import dev.corral.operator.customresource.spec.EgressRule;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What the CRD's patterns cannot check in spec.egress and the server would refuse at start (exit 64, a
 * crash loop): addresses that are not addresses, prefixes longer than the address, both or neither of
 * host and cidr, an endPort below its port.
 */
final class EgressValidation {
    private EgressValidation() {
    }

    static List<String> problems(List<EgressRule> rules) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            EgressRule rule = rules.get(i);
            String field = "spec.egress[" + i + "]";
            if ((rule.getHost() == null) == (rule.getCidr() == null)) {
                problems.add(field + " must name exactly one of host and cidr");
                continue;
            }
            if (rule.getPort() == null || rule.getPort() < 1 || rule.getPort() > 65535) {
                problems.add(field + ".port must be 1-65535");
            } else if (rule.getEndPort() != null && (rule.getEndPort() < rule.getPort() || rule.getEndPort() > 65535)) {
                problems.add(field + ".endPort must be from port (" + rule.getPort() + ") to 65535");
            }
            if (rule.getCidr() != null) {
                problems.addAll(cidr(field + ".cidr", rule.getCidr()));
            } else if (rule.hostIsAddress() && address(rule.getHost()) == null) {
                problems.add(field + ".host '" + rule.getHost() + "' is neither a host name nor an IP address");
            }
        }
        return problems;
    }

    private static List<String> cidr(String field, String text) {
        int slash = text.indexOf('/');
        InetAddress network = slash < 0 ? null : address(text.substring(0, slash));
        if (network == null) {
            return List.of(field + " '" + text + "' is not an address range such as 10.0.0.0/8");
        }
        int bits = network instanceof Inet4Address ? 32 : 128;
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        return prefix >= 0 && prefix <= bits ? List.of() : List.of(field + " '" + text + "' needs a prefix from 0 to " + bits);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
