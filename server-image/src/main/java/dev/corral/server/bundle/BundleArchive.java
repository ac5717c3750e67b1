package dev.corral.server.bundle;

import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * A bundle shipped as an archive. Unpacking refuses entries that would land outside the target
 * (zip-slip), links, and archives larger than {@link #MAX_UNPACKED_BYTES}.
 */
final class BundleArchive {
    static final long MAX_UNPACKED_BYTES = 1L << 30;
    private final Path archive;

    BundleArchive(Path archive) {
        this.archive = archive;
    }

    Path unpackInto(Path workDir) throws IOException, BundleException {
        String name = archive.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".zip") && !name.endsWith(".tar.gz") && !name.endsWith(".tgz")) {
            throw new BundleException("bundle " + archive + " is neither a directory nor a .zip, .tar.gz or .tgz archive");
        }
        Files.createDirectories(workDir);
        Path target = Files.createTempDirectory(workDir, "bundle-");
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             ArchiveInputStream<? extends ArchiveEntry> entries = name.endsWith(".zip")
                     ? new ZipArchiveInputStream(raw)
                     : new TarArchiveInputStream(new GZIPInputStream(raw))) {
            long total = 0;
            ArchiveEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new BundleException("archive entry '" + entry.getName() + "' points outside the bundle; refusing to unpack " + archive);
                }
                if (entry instanceof TarArchiveEntry tar && (tar.isSymbolicLink() || tar.isLink())) {
                    throw new BundleException("archive entry '" + entry.getName() + "' is a link; bundles must hold plain files");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                total += Files.copy(entries, out);
                if (total > MAX_UNPACKED_BYTES) {
                    throw new BundleException("bundle " + archive + " unpacks to more than " + (MAX_UNPACKED_BYTES >> 20) + " MiB");
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new BundleException("bundle archive " + archive + " is corrupt: " + e.getMessage(), e);
        }
        return target;
    }
}
