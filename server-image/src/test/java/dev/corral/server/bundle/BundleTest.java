package dev.corral.server.bundle;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectoryWithoutManifestGetsTheDefaults() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(dir.resolve("app.py"), "application = None\n");
        Bundle bundle = Bundle.open(dir, tmp.resolve("work"));
        assertThat(bundle.root()).isEqualTo(dir.toRealPath());
        assertThat(bundle.manifest().entrypoint()).isEqualTo(Entrypoint.DEFAULT);
        assertThat(bundle.manifest().staticMounts()).isEmpty();
        assertThat(bundle.manifest().warmup()).isEqualTo(Warmup.NONE);
    }

    @Test
    void aStaticFolderIsMountedByConvention() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("b/static"));
        Bundle bundle = Bundle.open(dir.getParent(), tmp.resolve("work"));
        assertThat(bundle.manifest().staticMounts()).containsExactly(new StaticMount("/static/", dir.toRealPath()));
    }

    @Test
    void theManifestSetsEntrypointMountsAndWarmup() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("b"));
        Files.createDirectories(dir.resolve("assets/img"));
        Files.writeString(dir.resolve("corral.json"), """
                {"entrypoint": "web.main:app",
                 "static": {"/assets": "assets", "/assets/img/": "assets/img"},
                 "warmup": {"paths": ["/", "/health"], "requests": 50}}
                """);
        BundleManifest manifest = Bundle.open(dir, tmp.resolve("work")).manifest();
        assertThat(manifest.entrypoint()).isEqualTo(new Entrypoint("web.main", "app"));
        assertThat(manifest.staticMounts()).extracting(StaticMount::urlPrefix).containsExactly("/assets/img/", "/assets/");
        assertThat(manifest.warmup()).isEqualTo(new Warmup(List.of("/", "/health"), 50));
    }

    @Test
    void theManifestSetsBudgetsPerRoutePrefix() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(dir.resolve("corral.json"), """
                {"budgets": {"/reports/": {"timeout": "2m", "cpu": "off", "memory": "2g"}, "/upload": {"memory": "off"}}}
                """);
        BundleManifest manifest = Bundle.open(dir, tmp.resolve("work")).manifest();
        assertThat(manifest.budgets()).containsEntry("/reports/", new dev.corral.server.budget.BudgetOverride(
                java.time.Duration.ofMinutes(2), java.time.Duration.ZERO, 2L << 30));
        assertThat(manifest.budgets()).containsEntry("/upload", new dev.corral.server.budget.BudgetOverride(null, null, 0L));

        Files.writeString(dir.resolve("corral.json"), "{\"budgets\": {\"/r/\": {\"timeuot\": \"1s\"}}}");
        assertThatThrownBy(() -> Bundle.open(dir, tmp.resolve("work"))).hasMessageContaining("unknown keys [timeuot]");
        Files.writeString(dir.resolve("corral.json"), "{\"budgets\": {\"/r/\": {\"cpu\": \"fast\"}}}");
        assertThatThrownBy(() -> Bundle.open(dir, tmp.resolve("work"))).hasMessageContaining("budget for /r/").hasMessageContaining("not a duration");
        Files.writeString(dir.resolve("corral.json"), "{\"budgets\": {\"/r/\": {\"maxConcurrent\": 0}}}");
        assertThatThrownBy(() -> Bundle.open(dir, tmp.resolve("work"))).hasMessageContaining("maxConcurrent must be 1 or more");
        Files.writeString(dir.resolve("corral.json"), "{\"budgets\": {\"r\": {}}}");
        assertThatThrownBy(() -> Bundle.open(dir, tmp.resolve("work"))).hasMessageContaining("path prefix starting with '/'");
    }

    @Test
    void manifestMistakesAreNamed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("b"));
        Path work = tmp.resolve("work");
        Files.writeString(dir.resolve("corral.json"), "{\"entrypont\": \"app:x\"}");
        assertThatThrownBy(() -> Bundle.open(dir, work)).isInstanceOf(BundleException.class).hasMessageContaining("unknown keys [entrypont]");
        Files.writeString(dir.resolve("corral.json"), "{\"entrypoint\": \"app:x-y\"}");
        assertThatThrownBy(() -> Bundle.open(dir, work)).hasMessageContaining("Python identifiers");
        Files.writeString(dir.resolve("corral.json"), "{\"static\": {\"/s/\": \"../..\"}}");
        assertThatThrownBy(() -> Bundle.open(dir, work)).hasMessageContaining("not a directory inside the bundle");
        Files.writeString(dir.resolve("corral.json"), "{\"warmup\": {\"paths\": [\"nope\"]}}");
        assertThatThrownBy(() -> Bundle.open(dir, work)).hasMessageContaining("starting with '/'");
        Files.writeString(dir.resolve("corral.json"), "{not json");
        assertThatThrownBy(() -> Bundle.open(dir, work)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Bundle.open(tmp.resolve("missing"), work)).hasMessageContaining("does not exist");
    }

    @Test
    void zipAndTarGzBundlesAreUnpacked() throws Exception {
        Path zip = tmp.resolve("app.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("app.py"));
            out.write("application = 1\n".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("lib/pkg/__init__.py"));
        }
        Bundle fromZip = Bundle.open(zip, tmp.resolve("work"));
        assertThat(fromZip.root().resolve("app.py")).hasContent("application = 1");
        assertThat(fromZip.lib().resolve("pkg/__init__.py")).exists();

        Path tgz = tmp.resolve("app.tar.gz");
        writeTarGz(tgz, "app.py", "application = 2\n");
        assertThat(Bundle.open(tgz, tmp.resolve("work")).root().resolve("app.py")).hasContent("application = 2");
    }

    @Test
    void archivesThatReachOutsideAreRefused() throws Exception {
        Path zip = tmp.resolve("evil.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("../../escaped.py"));
            out.write(1);
        }
        assertThatThrownBy(() -> Bundle.open(zip, tmp.resolve("work"))).isInstanceOf(BundleException.class).hasMessageContaining("outside the bundle");
        assertThat(tmp.resolve("escaped.py")).doesNotExist();

        Path tgz = tmp.resolve("link.tgz");
        try (OutputStream raw = new GZIPOutputStream(Files.newOutputStream(tgz)); TarArchiveOutputStream tar = new TarArchiveOutputStream(raw)) {
            TarArchiveEntry link = new TarArchiveEntry("passwd", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> Bundle.open(tgz, tmp.resolve("work"))).hasMessageContaining("is a link");

        Path other = Files.writeString(tmp.resolve("app.rar"), "x");
        assertThatThrownBy(() -> Bundle.open(other, tmp.resolve("work"))).hasMessageContaining("neither a directory nor");
        Path corrupt = Files.writeString(tmp.resolve("bad.tar.gz"), "not gzip");
        assertThatThrownBy(() -> Bundle.open(corrupt, tmp.resolve("work"))).isInstanceOf(BundleException.class);
    }

    private static void writeTarGz(Path target, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try (OutputStream raw = new GZIPOutputStream(Files.newOutputStream(target)); TarArchiveOutputStream tar = new TarArchiveOutputStream(raw)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(bytes.length);
            tar.putArchiveEntry(entry);
            tar.write(bytes);
            tar.closeArchiveEntry();
        }
    }
}
