package dev.corral.server.lifecycle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AotCacheUseTest {
    @Test
    void saysWhetherTheCacheWasMapped() {
        assertThat(AotCacheUse.describe("/opt/corral/aot/corral.aot", true)).isEqualTo("AOT cache /opt/corral/aot/corral.aot in use");
        assertThat(AotCacheUse.describe("/opt/corral/aot/corral.aot", false)).contains("NOT used").contains("rebuild the distribution");
        assertThat(AotCacheUse.describe("", false)).startsWith("no AOT cache");
    }

    @Test
    void aJvmStartedWithoutACacheSaysSo() {
        // The unit tests run on the build JDK with --upgrade-module-path, which turns class-data sharing off.
        assertThat(AotCacheUse.describe()).startsWith("no AOT cache");
    }
}
