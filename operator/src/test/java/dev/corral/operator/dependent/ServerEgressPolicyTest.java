package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.EgressRules;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServerEgressPolicyTest {
    private final WebApp webApp = TestWebApps.withInlineBundle("notes", Map.of("app.py", "application = None"));

    private static List<String> ports(NetworkPolicyEgressRule rule) {
        return rule.getPorts().stream().map(ServerEgressPolicyTest::port).toList();
    }

    private static String port(NetworkPolicyPort p) {
        return p.getProtocol() + "/" + p.getPort().getIntVal() + (p.getEndPort() == null ? "" : "-" + p.getEndPort());
    }

    private static List<String> peers(NetworkPolicyEgressRule rule) {
        return rule.getTo().stream().map(NetworkPolicyPeer::getIpBlock)
                .map(b -> b.getCidr() + (b.getExcept() == null || b.getExcept().isEmpty() ? "" : " except " + b.getExcept())).toList();
    }

    @Test
    void withoutEgressThePodsMayOpenNoConnection() {
        NetworkPolicy policy = ServerEgressPolicy.desired(webApp);
        assertThat(policy.getMetadata().getName()).isEqualTo("notes-egress");
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(WebAppLabels.selector(webApp));
        assertThat(policy.getSpec().getEgress()).isEmpty();
    }

    @Test
    void eachRuleOpensItsPortToItsRangeAndDnsIsOpen() {
        webApp.getSpec().setEgress(List.of(EgressRules.rule(null, "10.1.0.0/16", 5432, null), EgressRules.rule("10.2.3.4", null, 6379, null),
                EgressRules.rule("api.example.com", null, 443, 444)));
        List<NetworkPolicyEgressRule> rules = ServerEgressPolicy.desired(webApp).getSpec().getEgress();
        assertThat(rules).hasSize(4);
        assertThat(ports(rules.get(0))).containsExactly("UDP/53", "TCP/53");
        assertThat(rules.get(0).getTo()).as("DNS to any resolver").isEmpty();
        assertThat(ports(rules.get(1))).containsExactly("TCP/5432", "UDP/5432");
        assertThat(peers(rules.get(1))).containsExactly("10.1.0.0/16");
        assertThat(peers(rules.get(2))).containsExactly("10.2.3.4/32");
        // A name cannot be written in a NetworkPolicy: its port is opened everywhere but to link-local addresses.
        assertThat(ports(rules.get(3))).containsExactly("TCP/443-444", "UDP/443-444");
        assertThat(peers(rules.get(3))).containsExactly("0.0.0.0/0 except [169.254.0.0/16]", "::/0 except [fe80::/10, fd00:ec2::254/128]");
    }
}
