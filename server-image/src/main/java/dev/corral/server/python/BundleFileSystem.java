package dev.corral.server.python;

import org.graalvm.polyglot.io.FileSystem;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The only files Python code sees: the bundle read-only, and one temp directory read-write. Everything
 * else answers "permission denied". GraalPy's own standard library is reached through the polyglot
 * decorators for language homes and internal resources, which wrap this one.
 */
final class BundleFileSystem implements FileSystem {
    private final FileSystem host = FileSystem.newDefaultFileSystem();
    private final List<Path> readable;
    private final Path writable;

    BundleFileSystem(Path bundleRoot, Path tempDir) {
        this.readable = List.of(bundleRoot.toAbsolutePath().normalize(), tempDir.toAbsolutePath().normalize());
        this.writable = tempDir.toAbsolutePath().normalize();
    }

    private Path readablePath(Path path) throws IOException {
        Path p = toAbsolutePath(path).normalize();
        for (Path root : readable) {
            if (p.startsWith(root)) {
                return p;
            }
        }
        throw new AccessDeniedException(p.toString(), null, "outside the bundle and the temp dir");
    }

    private Path writablePath(Path path) throws IOException {
        Path p = toAbsolutePath(path).normalize();
        if (!p.startsWith(writable)) {
            throw new AccessDeniedException(p.toString(), null, "the bundle is read-only; write under " + writable);
        }
        return p;
    }

    private static boolean writes(Set<? extends OpenOption> options) {
        return options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND)
                || options.contains(StandardOpenOption.CREATE) || options.contains(StandardOpenOption.CREATE_NEW)
                || options.contains(StandardOpenOption.DELETE_ON_CLOSE) || options.contains(StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public Path parsePath(URI uri) {
        return host.parsePath(uri);
    }

    @Override
    public Path parsePath(String path) {
        return host.parsePath(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        Path p = modes.contains(AccessMode.WRITE) ? writablePath(path) : readablePath(path);
        host.checkAccess(p, modes, linkOptions);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        host.createDirectory(writablePath(dir), attrs);
    }

    @Override
    public void delete(Path path) throws IOException {
        host.delete(writablePath(path));
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        Path p = writes(options) ? writablePath(path) : readablePath(path);
        return host.newByteChannel(p, options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        return host.newDirectoryStream(readablePath(dir), filter);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return host.toAbsolutePath(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        Path real = host.toRealPath(readablePath(path), linkOptions);
        return readablePath(real);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return host.readAttributes(readablePath(path), attributes, options);
    }

    @Override
    public void setCurrentWorkingDirectory(Path currentWorkingDirectory) {
        host.setCurrentWorkingDirectory(currentWorkingDirectory);
    }

    @Override
    public String getSeparator() {
        return host.getSeparator();
    }

    @Override
    public String getPathSeparator() {
        return host.getPathSeparator();
    }

    @Override
    public Path getTempDirectory() {
        return writable;
    }
}
