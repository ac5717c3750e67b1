package dev.corral.e2e.databases;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** A fresh directory for one database server's data, readable by the user it runs as; removed on close. */
final class DatabaseDir implements AutoCloseable {
    final Path path;

    private DatabaseDir(Path path) {
        this.path = path;
    }

    static DatabaseDir create(String name) throws IOException {
        // Not under a test's @TempDir: that is root's and closed to the postgres user.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "corral-" + name + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        return new DatabaseDir(dir);
    }

    /** Hands the directory to {@code user} (when running as root). */
    DatabaseDir ownedBy(String user) throws IOException, InterruptedException {
        if ("root".equals(System.getProperty("user.name"))) {
            Command.of("chown", "-R", user, path.toString()).run(java.time.Duration.ofSeconds(10));
        }
        return this;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
