package dev.corral.server.python;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged distribution carries the standard library as bytecode, so a server never parses it at
 * start; the .pyc are unchecked-hash (PEP 552), so a copy that changes file times keeps them valid.
 */
class DistributionBytecodeIT {
    private static final Path RESOURCES = Path.of("target", "corral-server", "resources");

    @Test
    void theModulesWebFrameworksImportAreCompiledAndNeverCheckedAgainstTheirSource() throws IOException {
        Path lib = PythonResources.standardLibrary(RESOURCES);
        for (String module : List.of("json/decoder", "email/message", "http/client", "inspect", "ssl", "urllib/parse", "tempfile")) {
            Path source = lib.resolve(module + ".py");
            assertThat(source).exists();
            Path pyc = compiled(source);
            try (InputStream in = Files.newInputStream(pyc)) {
                byte[] header = in.readNBytes(8);
                int flags = (header[4] & 0xff) | (header[5] & 0xff) << 8 | (header[6] & 0xff) << 16 | (header[7] & 0xff) << 24;
                assertThat(flags).as("%s: PEP 552 flags, hash-based (bit 0) without source check (bit 1)", pyc).isEqualTo(0b01);
            }
        }
        try (Stream<Path> all = Files.walk(lib)) {
            assertThat(all.filter(p -> p.toString().endsWith(".pyc")).count()).as("compiled modules").isGreaterThan(500);
        }
    }

    private static Path compiled(Path source) throws IOException {
        String stem = source.getFileName().toString().replaceFirst("\\.py$", "");
        try (Stream<Path> cached = Files.list(source.resolveSibling("__pycache__"))) {
            return cached.filter(p -> p.getFileName().toString().startsWith(stem + ".") && p.toString().endsWith(".pyc"))
                    .findFirst().orElseThrow(() -> new AssertionError("no .pyc for " + source));
        }
    }
}
