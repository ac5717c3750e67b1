package dev.corral.server.python;

import dev.corral.server.files.FileBoundary;
import org.graalvm.polyglot.io.FileSystem;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The only files Python code sees: the bundle read-only, and one temp directory read-write, each
 * checked by a {@link FileBoundary} on real paths, so symbolic links cannot lead out. Everything else
 * answers "permission denied". GraalPy's own standard library is reached through the polyglot
 * decorators for language homes and internal resources, which wrap this one.
 */
final class BundleFileSystem implements FileSystem {
    private final FileSystem host = FileSystem.newDefaultFileSystem();
    private final FileBoundary readable;
    private final FileBoundary writable;
    private final Path tempDir;

    BundleFileSystem(FileBoundary readable, FileBoundary writable, Path tempDir) {
        this.readable = readable;
        this.writable = writable;
        this.tempDir = tempDir.toAbsolutePath().normalize();
    }

    private static boolean writes(Set<? extends OpenOption> options) {
        return options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND)
                || options.contains(StandardOpenOption.CREATE) || options.contains(StandardOpenOption.CREATE_NEW)
                || options.contains(StandardOpenOption.DELETE_ON_CLOSE) || options.contains(StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static boolean nofollow(LinkOption... options) {
        return Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS);
    }

    private Path absolute(Path path) {
        return host.toAbsolutePath(path);
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
        Path p = modes.contains(AccessMode.WRITE) ? writable.existing(absolute(path)) : readable.existing(absolute(path));
        host.checkAccess(p, modes, linkOptions);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        host.createDirectory(writable.forCreate(absolute(dir)), attrs);
    }

    /** chmod and times, only where Python may write (GraalPy marks the native libraries it copies executable). */
    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        host.setAttribute(writable.existing(absolute(path)), attribute, value, options);
    }

    @Override
    public void delete(Path path) throws IOException {
        // Deleting removes the name, not what a link points to: the link's directory must be writable.
        host.delete(writable.unfollowed(absolute(path)));
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        Path real = writes(options) ? writable.forCreate(absolute(path)) : readable.existing(absolute(path));
        // The name is resolved; opening the resolved name must not follow a link swapped in since.
        Set<OpenOption> opened = new HashSet<>(options);
        opened.add(LinkOption.NOFOLLOW_LINKS);
        return host.newByteChannel(real, opened, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        Path asNamed = absolute(dir);
        Path real = readable.existing(asNamed);
        DirectoryStream<Path> entries = host.newDirectoryStream(real, filter);
        // Entries keep the name Python asked for, so os.walk and scandir see the paths they built.
        return new DirectoryStream<>() {
            @Override
            public java.util.Iterator<Path> iterator() {
                java.util.Iterator<Path> it = entries.iterator();
                return new java.util.Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Path next() {
                        return asNamed.resolve(it.next().getFileName().toString());
                    }
                };
            }

            @Override
            public void close() throws IOException {
                entries.close();
            }
        };
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return host.toAbsolutePath(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        return nofollow(linkOptions) ? readable.unfollowed(absolute(path)) : readable.existing(absolute(path));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        Path p = nofollow(options) ? readable.unfollowed(absolute(path)) : readable.existing(absolute(path));
        return host.readAttributes(p, attributes, options);
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
        return tempDir;
    }
}
