package dev.corral.server.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/server-options.md is generated from {@link ServerOption}; this fails when the checked-in copy
 * drifts. Regenerate with {@code ./dev mvn -pl server-image test -Dtest=ServerOptionsDocTest -Dcorral.docs.update=true}.
 */
class ServerOptionsDocTest {
    private static final Path DOC = Path.of("../docs/server-options.md");

    static String render() {
        StringBuilder md = new StringBuilder("""
                # Server settings

                Generated from `ServerOption` by `ServerOptionsDocTest`; do not edit by hand.
                Each setting is a flag of `bin/corral-server` or an environment variable; a flag wins over
                its variable, which wins over the default. Sizes take `k`, `m`, `g` (powers of 1024);
                durations take `ms`, `s`, `m`, `h`.

                | flag | environment variable | default | meaning |
                |---|---|---|---|
                """);
        for (ServerOption option : ServerOption.values()) {
            md.append("| `--").append(option.flag()).append("` | `").append(option.envVar()).append("` | ")
                    .append(option.defaultValue().isEmpty() ? "(none)" : "`" + option.defaultValue() + "`")
                    .append(" | ").append(option.description().replace("|", "\\|")).append(" |\n");
        }
        return md.toString();
    }

    @Test
    void theCheckedInReferenceMatchesTheOptions() throws IOException {
        String expected = render();
        if (Boolean.getBoolean("corral.docs.update")) {
            Files.writeString(DOC, expected);
        }
        assertThat(DOC).as("docs/server-options.md is stale; regenerate it (see this test's Javadoc)").hasContent(expected);
    }
}
