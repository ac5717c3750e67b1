package dev.corral.server.wsgi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironPairsTest {

    @Test
    void packsAndUnpacksNamesAndValuesIncludingEmptyOnes() {
        EnvironPairs pairs = EnvironPairs.of("REQUEST_METHOD", "GET", "SCRIPT_NAME", "", "QUERY_STRING", "");
        assertThat(pairs.packed()).isEqualTo("REQUEST_METHOD\0GET\0SCRIPT_NAME\0\0QUERY_STRING\0");
        assertThat(pairs.unpack()).containsExactly("REQUEST_METHOD", "GET", "SCRIPT_NAME", "", "QUERY_STRING", "");
        assertThat(EnvironPairs.of().unpack()).isEmpty();
    }

    @Test
    void aNulInsideAValueOrAnOddCountIsRefused() {
        assertThatThrownBy(() -> EnvironPairs.of("PATH_INFO", "/a\0b")).hasMessageContaining("value contains a NUL");
        assertThatThrownBy(() -> EnvironPairs.of("PATH_INFO")).hasMessageContaining("alternate");
    }
}
