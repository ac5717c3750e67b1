package dev.corral.server.egress;

import dev.corral.server.egress.EgressRule.AddressRange;
import dev.corral.server.egress.EgressRule.HostName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EgressRuleTest {
    @Test
    void aHostNameWithAPortIsAName() {
        EgressRule rule = EgressRule.parse("Postgres.DB.svc.cluster.local:5432");
        assertThat(rule.target()).isEqualTo(new HostName("postgres.db.svc.cluster.local"));
        assertThat(rule.firstPort()).isEqualTo(5432);
        assertThat(rule.lastPort()).isEqualTo(5432);
    }

    @Test
    void addressesAndRangesAreRangesOfBits() {
        assertThat(EgressRule.parse("10.1.2.3:6379").target()).isEqualTo(AddressRange.of(InetAddress.ofLiteral("10.1.2.3")));
        EgressRule wide = EgressRule.parse("10.0.0.0/8:443-444");
        assertThat(wide.target()).isEqualTo(new AddressRange(InetAddress.ofLiteral("10.0.0.0"), 8));
        assertThat(wide.coversPort(443)).isTrue();
        assertThat(wide.coversPort(444)).isTrue();
        assertThat(wide.coversPort(445)).isFalse();
        assertThat(EgressRule.parse("[fd00::/8]:443").target()).isEqualTo(new AddressRange(InetAddress.ofLiteral("fd00::"), 8));
        assertThat(EgressRule.parse("[::1]:5432").target()).isEqualTo(AddressRange.of(InetAddress.ofLiteral("::1")));
    }

    @Test
    void rangesContainByPrefix() {
        AddressRange range = new AddressRange(InetAddress.ofLiteral("10.128.0.0"), 9);
        assertThat(range.contains(InetAddress.ofLiteral("10.200.1.1"))).isTrue();
        assertThat(range.contains(InetAddress.ofLiteral("10.127.255.255"))).isFalse();
        assertThat(range.contains(InetAddress.ofLiteral("::ffff:a80:1"))).as("a v4-mapped literal parses as IPv4").isTrue();
        assertThat(new AddressRange(InetAddress.ofLiteral("0.0.0.0"), 0).covers(AddressRange.of(InetAddress.ofLiteral("1.2.3.4")))).isTrue();
        assertThat(AddressRange.of(InetAddress.ofLiteral("1.2.3.4")).covers(new AddressRange(InetAddress.ofLiteral("1.2.3.0"), 24))).isFalse();
    }

    @Test
    void aListSkipsBlanksAndKeepsOrder() {
        assertThat(EgressRule.parseList(" db:5432, ,10.0.0.1:6379 ").stream().map(EgressRule::toString))
                .containsExactly("db:5432", "10.0.0.1:6379");
        assertThat(EgressRule.parseList("")).isEmpty();
    }

    @Test
    void badRulesSayWhatIsAccepted() {
        assertThatThrownBy(() -> EgressRule.parse("db.example.com")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> EgressRule.parse("db:0")).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> EgressRule.parse("db:70000")).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> EgressRule.parse("db:10-5")).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> EgressRule.parse("999.1.1.1:80")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> EgressRule.parse("10.0.0.0/33:80")).hasMessageContaining("longer than the address");
        assertThatThrownBy(() -> EgressRule.parse("db_/8:80")).hasMessageContaining("IP address before the /");
        assertThatThrownBy(() -> EgressRule.parse("-bad-:80")).hasMessageContaining("not a host name");
    }
}
