package dev.corral.server.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigValuesTest {

    @Test
    void sizesUsePowersOf1024() {
        assertThat(ConfigValues.parseBytes("512")).isEqualTo(512);
        assertThat(ConfigValues.parseBytes("16k")).isEqualTo(16 * 1024);
        assertThat(ConfigValues.parseBytes("10m")).isEqualTo(10L * 1024 * 1024);
        assertThat(ConfigValues.parseBytes("2Gi")).isEqualTo(2L << 30);
        assertThat(ConfigValues.parseBytes("3MB")).isEqualTo(3L << 20);
        assertThatThrownBy(() -> ConfigValues.parseBytes("ten")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> ConfigValues.parseBytes("-1k")).hasMessageContaining("not a size");
    }

    @Test
    void durationsDefaultToSeconds() {
        assertThat(ConfigValues.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ConfigValues.parseDuration("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ConfigValues.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ConfigValues.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> ConfigValues.parseDuration("1.5s")).hasMessageContaining("not a duration");
    }
}
