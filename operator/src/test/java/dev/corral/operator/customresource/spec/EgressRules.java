package dev.corral.operator.customresource.spec;

/** Test fixtures: one spec.egress rule. */
public final class EgressRules {
    private EgressRules() {
    }

    public static EgressRule rule(String host, String cidr, int port, Integer endPort) {
        EgressRule rule = new EgressRule();
        rule.setHost(host);
        rule.setCidr(cidr);
        rule.setPort(port);
        rule.setEndPort(endPort);
        return rule;
    }
}
