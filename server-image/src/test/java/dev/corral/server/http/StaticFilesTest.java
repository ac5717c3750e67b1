package dev.corral.server.http;

import dev.corral.server.bundle.StaticMount;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StaticFilesTest {
    private final StaticMount mount = new StaticMount("/static/", Path.of("/srv/bundle/static"));

    @Test
    void smallFilesAreKeptInMemoryWithinTheBudgetAndLargeOnesAreNot(@TempDir Path root) throws Exception {
        Path small = Files.write(root.resolve("small.txt"), "tiny".getBytes(StandardCharsets.UTF_8));
        Path large = Files.write(root.resolve("large.bin"), new byte[StaticFiles.INLINE_MAX + 1]);
        StaticFiles.FileFacts facts = StaticFiles.inspect(small, root, null, StaticFiles.INLINE_BUDGET);
        assertThat(facts.content().toString(StandardCharsets.UTF_8)).isEqualTo("tiny");
        assertThat(StaticFiles.inspect(large, root, null, StaticFiles.INLINE_BUDGET).content()).isNull();
        assertThat(StaticFiles.inspect(small, root, null, 3).content()).as("budget left: 3 bytes").isNull();
    }

    @Test
    void unchangedContentsAreReusedAndChangedOnesReread(@TempDir Path root) throws Exception {
        Path file = Files.write(root.resolve("a.txt"), "one".getBytes(StandardCharsets.UTF_8));
        StaticFiles.FileFacts first = StaticFiles.inspect(file, root, null, StaticFiles.INLINE_BUDGET);
        assertThat(StaticFiles.inspect(file, root, first, StaticFiles.INLINE_BUDGET).content()).isSameAs(first.content());
        Files.write(file, "three".getBytes(StandardCharsets.UTF_8));
        StaticFiles.FileFacts changed = StaticFiles.inspect(file, root, first, StaticFiles.INLINE_BUDGET);
        assertThat(changed.content().toString(StandardCharsets.UTF_8)).isEqualTo("three");
        assertThat(changed.etag()).isNotEqualTo(first.etag());
    }

    @Test
    void resolvesInsideTheMount() {
        assertThat(StaticFiles.resolve(mount, "/static/css/site.css")).isEqualTo(Path.of("/srv/bundle/static/css/site.css"));
        assertThat(StaticFiles.resolve(mount, "/static/caf%C3%A9.txt")).isEqualTo(Path.of("/srv/bundle/static/caf\u00e9.txt"));
        assertThat(StaticFiles.resolve(mount, "/static/")).isEqualTo(Path.of("/srv/bundle/static/index.html"));
    }

    @Test
    void refusesEveryWayOut() {
        assertThat(StaticFiles.resolve(mount, "/static/../app.py")).isNull();
        assertThat(StaticFiles.resolve(mount, "/static/%2e%2e/app.py")).isNull();
        assertThat(StaticFiles.resolve(mount, "/static/a/%2E%2E/%2e%2e/app.py")).isNull();
        assertThat(StaticFiles.resolve(mount, "/static/..%2fapp.py")).isNull();
        assertThat(StaticFiles.resolve(mount, "/static/a%00.txt")).isNull();
        assertThat(StaticFiles.resolve(mount, "/static/..%5capp.py")).isNull();
    }

    @Test
    void etagListsMatchStrongWeakAndStar() {
        assertThat(StaticFiles.etagListMatches("\"a\", \"b\"", "\"b\"")).isTrue();
        assertThat(StaticFiles.etagListMatches("W/\"b\"", "\"b\"")).isTrue();
        assertThat(StaticFiles.etagListMatches("*", "\"b\"")).isTrue();
        assertThat(StaticFiles.etagListMatches("\"c\"", "\"b\"")).isFalse();
    }

    @Test
    void contentTypesCarryCharsetForText() {
        assertThat(ContentTypes.forFileName("index.HTML")).isEqualTo("text/html; charset=utf-8");
        assertThat(ContentTypes.forFileName("logo.png")).isEqualTo("image/png");
        assertThat(ContentTypes.forFileName("blob")).isEqualTo("application/octet-stream");
        assertThat(ContentTypes.forFileName("weird.")).isEqualTo("application/octet-stream");
    }

    @Test
    void httpDatesAreImfFixdate() {
        assertThat(DateHeader.httpDate(java.time.Instant.parse("2026-06-03T04:05:06Z"))).isEqualTo("Wed, 03 Jun 2026 04:05:06 GMT");
    }
}
