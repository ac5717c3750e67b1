package dev.corral.operator.dependent;

import dev.corral.operator.customresource.WebApp;
import dev.corral.operator.customresource.spec.EgressRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlockBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * The network's half of the egress fence, behind the server's own check: the WebApp's pods may open
 * connections only on the declared ports, to the declared ranges, and resolve names (DNS). With no
 * egress declared they may open none. A host name cannot be written in a NetworkPolicy, so a name's
 * rule opens its port to every address except link-local (cloud metadata) ones; which addresses the
 * name stands for is the server's check, made on the address of each connect.
 */
public final class ServerEgressPolicy {
    /** Where a host name's port may go at the network level: anywhere but link-local. */
    private static final String ANYWHERE_V4 = "0.0.0.0/0";
    private static final String ANYWHERE_V6 = "::/0";
    private static final List<String> LINK_LOCAL_V4 = List.of("169.254.0.0/16");
    private static final List<String> LINK_LOCAL_V6 = List.of("fe80::/10", "fd00:ec2::254/128");

    private ServerEgressPolicy() {
    }

    /** The policy's name: the WebApp's, with "-egress". */
    public static String name(WebApp webApp) {
        return webApp.getMetadata().getName() + "-egress";
    }

    public static NetworkPolicy desired(WebApp webApp) {
        List<EgressRule> declared = webApp.getSpec().getEgress() == null ? List.of() : webApp.getSpec().getEgress();
        List<NetworkPolicyEgressRule> rules = new ArrayList<>();
        if (!declared.isEmpty()) {
            // Names are resolved in the pod: DNS to any resolver (the cluster's, or the node's for dnsPolicy Default).
            rules.add(new NetworkPolicyEgressRuleBuilder()
                    .addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort()
                    .addNewPort().withProtocol("TCP").withPort(new IntOrString(53)).endPort()
                    .build());
        }
        for (EgressRule rule : declared) {
            NetworkPolicyEgressRuleBuilder builder = new NetworkPolicyEgressRuleBuilder();
            for (String protocol : List.of("TCP", "UDP")) {
                NetworkPolicyPortBuilder port = new NetworkPolicyPortBuilder().withProtocol(protocol).withPort(new IntOrString(rule.getPort()));
                if (rule.getEndPort() != null && !rule.getEndPort().equals(rule.getPort())) {
                    port.withEndPort(rule.getEndPort());
                }
                builder.addToPorts(port.build());
            }
            if (rule.getCidr() != null) {
                builder.addNewTo().withIpBlock(new IPBlockBuilder().withCidr(rule.getCidr()).build()).endTo();
            } else if (rule.hostIsAddress()) {
                builder.addNewTo().withIpBlock(new IPBlockBuilder().withCidr(rule.getHost() + (rule.getHost().contains(":") ? "/128" : "/32"))
                        .build()).endTo();
            } else {
                builder.addNewTo().withIpBlock(new IPBlockBuilder().withCidr(ANYWHERE_V4).withExcept(LINK_LOCAL_V4).build()).endTo();
                builder.addNewTo().withIpBlock(new IPBlockBuilder().withCidr(ANYWHERE_V6).withExcept(LINK_LOCAL_V6).build()).endTo();
            }
            rules.add(builder.build());
        }
        return new NetworkPolicyBuilder()
                .withMetadata(WebAppLabels.objectMeta(webApp, name(webApp)))
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(WebAppLabels.selector(webApp)).endPodSelector()
                .withPolicyTypes("Egress")
                .withEgress(rules)
                .endSpec()
                .build();
    }
}
