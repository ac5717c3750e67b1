package dev.corral.operator.config;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorConfigTest {
    @Test
    void defaultsWhenNothingIsSet() {
        assertThat(OperatorConfig.fromEnvironment(Map.of())).isEqualTo(OperatorConfig.DEFAULTS);
    }

    @Test
    void readsEverySetting() {
        OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
                "CORRAL_SERVER_IMAGE", "registry.example/corral:2",
                "CORRAL_DRAIN_SECONDS", "3",
                "CORRAL_WATCH_NAMESPACES", "shop, blog,,",
                "CORRAL_LEADER_ELECTION_NAMESPACE", "corral-system",
                "CORRAL_HTTP_PORT", "9000"));
        assertThat(config.serverImage()).isEqualTo("registry.example/corral:2");
        assertThat(config.drainSeconds()).isEqualTo(3);
        assertThat(config.watchNamespaces()).isEqualTo(Set.of("shop", "blog"));
        assertThat(config.leaseNamespace()).isEqualTo("corral-system");
        assertThat(config.httpPort()).isEqualTo(9000);
    }

    @Test
    void aMalformedSettingIsNamed() {
        assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("CORRAL_HTTP_PORT", "http")))
                .hasMessage("CORRAL_HTTP_PORT is 'http'; expected a whole number from 0 to 65535");
    }
}
