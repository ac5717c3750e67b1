package dev.corral.server.egress;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The fence's decisions, for the ranges that must never be reached without sending a packet there. */
class EgressPolicyTest {
    private static final EgressPolicy.Resolver NO_DNS = name -> {
        throw new UnknownHostException(name);
    };

    private static EgressPolicy policy(String rules, EgressPolicy.Guarded... guarded) {
        return EgressPolicy.of(EgressRule.parseList(rules), List.of(guarded));
    }

    private static boolean allowed(EgressPolicy policy, String address, int port, EgressPolicy.Resolver resolver) {
        return policy.decide(InetAddress.ofLiteral(address), port, resolver) instanceof EgressPolicy.Allowed;
    }

    @Test
    void onlyDeclaredAddressAndPortPass() {
        EgressPolicy policy = policy("127.0.0.1:5432");
        assertThat(allowed(policy, "127.0.0.1", 5432, NO_DNS)).isTrue();
        assertThat(allowed(policy, "127.0.0.1", 5433, NO_DNS)).isFalse();
        assertThat(allowed(policy, "127.0.0.2", 5432, NO_DNS)).isFalse();
    }

    @Test
    void nothingDeclaredRefusesEverythingAndSaysSo() {
        EgressPolicy.Decision decision = policy("").decide(InetAddress.ofLiteral("10.0.0.1"), 80, NO_DNS);
        assertThat(decision).isInstanceOf(EgressPolicy.Refused.class);
        assertThat(((EgressPolicy.Refused) decision).message())
                .contains("10.0.0.1:80", "spec.egress", "--egress", "nothing is declared");
    }

    @Test
    void aNameAllowsTheAddressesItResolvesToAtConnectTime() {
        Map<String, List<String>> dns = new java.util.HashMap<>(Map.of("db.test", List.of("10.0.0.5")));
        EgressPolicy.Resolver resolver = name -> {
            List<InetAddress> out = new ArrayList<>();
            for (String a : dns.getOrDefault(name, List.of())) {
                out.add(InetAddress.ofLiteral(a));
            }
            return out;
        };
        EgressPolicy policy = policy("db.test:5432");
        assertThat(allowed(policy, "10.0.0.5", 5432, resolver)).isTrue();
        assertThat(allowed(policy, "10.0.0.6", 5432, resolver)).isFalse();
        // The name moves: the old address is refused, the new one allowed.
        dns.put("db.test", List.of("10.0.0.6"));
        assertThat(allowed(policy, "10.0.0.5", 5432, resolver)).isFalse();
        assertThat(allowed(policy, "10.0.0.6", 5432, resolver)).isTrue();
    }

    @Test
    void aNameThatRebindsToMetadataIsRefused() {
        EgressPolicy.Resolver rebound = name -> List.of(InetAddress.ofLiteral("169.254.169.254"));
        EgressPolicy.Decision decision = policy("api.example.com:80").decide(InetAddress.ofLiteral("169.254.169.254"), 80, rebound);
        assertThat(decision).isInstanceOf(EgressPolicy.Refused.class);
        assertThat(((EgressPolicy.Refused) decision).message()).contains("169.254.169.254:80", "link-local");
    }

    @Test
    void wideRangesNeverReachLinkLocalButTheAddressItselfDoes() {
        EgressPolicy everything = policy("0.0.0.0/0:80,[::/0]:80");
        assertThat(allowed(everything, "93.184.216.34", 80, NO_DNS)).isTrue();
        assertThat(allowed(everything, "169.254.169.254", 80, NO_DNS)).isFalse();
        assertThat(allowed(everything, "169.254.1.1", 80, NO_DNS)).isFalse();
        assertThat(allowed(everything, "fe80::1", 80, NO_DNS)).isFalse();
        assertThat(allowed(everything, "fd00:ec2::254", 80, NO_DNS)).isFalse();
        assertThat(allowed(everything, "::ffff:169.254.169.254", 80, NO_DNS)).as("v4-mapped").isFalse();
        assertThat(allowed(policy("169.254.169.254:80"), "169.254.169.254", 80, NO_DNS)).isTrue();
    }

    @Test
    void theNodeAndTheApiServerAreGuardedWhenKnown() {
        EgressPolicy.Guarded node = new EgressPolicy.Guarded(EgressRule.AddressRange.of(InetAddress.ofLiteral("10.0.0.7")), "the node");
        EgressPolicy.Guarded api = new EgressPolicy.Guarded(EgressRule.AddressRange.of(InetAddress.ofLiteral("10.96.0.1")), "the API server");
        EgressPolicy policy = policy("10.0.0.0/8:443,10.0.0.0/8:10250", node, api);
        assertThat(allowed(policy, "10.1.2.3", 443, NO_DNS)).isTrue();
        assertThat(allowed(policy, "10.96.0.1", 443, NO_DNS)).isFalse();
        assertThat(allowed(policy, "10.0.0.7", 10250, NO_DNS)).isFalse();
        EgressPolicy.Decision decision = policy.decide(InetAddress.ofLiteral("10.96.0.1"), 443, name -> List.of(InetAddress.ofLiteral("10.96.0.1")));
        assertThat(((EgressPolicy.Refused) decision).message()).contains("the API server");
        assertThat(allowed(policy("10.96.0.1:443", api), "10.96.0.1", 443, NO_DNS)).isTrue();
    }

    @Test
    void theWildcardAddressIsJudgedAsLoopback() {
        assertThat(allowed(policy("127.0.0.1:6379"), "0.0.0.0", 6379, NO_DNS)).isTrue();
        assertThat(allowed(policy("10.0.0.0/8:6379"), "0.0.0.0", 6379, NO_DNS)).isFalse();
    }
}
