package dev.corral.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/operations.md lists exactly the corral_* metrics the server and the operator register. */
class OperationsDocTest {
    @Test
    void everyRegisteredMetricIsDocumentedAndNoOther() throws IOException {
        Set<String> registered = new TreeSet<>();
        Pattern declared = Pattern.compile("\\.name\\(\"(corral_[a-z_]+)\"\\)");
        for (String sources : new String[]{"../server-image/src/main/java", "../operator/src/main/java"}) {
            try (Stream<Path> files = Files.walk(Path.of(sources))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = declared.matcher(Files.readString(file));
                    while (m.find()) {
                        registered.add(m.group(1));
                    }
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `(corral_[a-z_]+)` \\|").matcher(Files.readString(Path.of("../docs/operations.md")));
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(registered).hasSizeGreaterThan(20);
        assertThat(documented).isEqualTo(registered);
    }
}
