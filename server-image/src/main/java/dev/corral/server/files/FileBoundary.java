package dev.corral.server.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that decides whether a path a bundle names may be touched: Python's file system, the
 * static mounts and {@code wsgi.file_wrapper} all go through it. A path is allowed only when its real
 * path (every symbolic link followed) lies under one of the roots, so a link inside the bundle that
 * points at {@code /etc/passwd} or the service-account token is refused like the target itself. Names
 * are resolved once, here, and what is opened is the resolved real path with links refused on the last
 * component, so nothing downstream ever resolves a string chosen by Python against some other directory.
 *
 * <p>Between the check and the open a directory on the way could in principle be swapped for a link;
 * Python cannot make links here (the sandbox's file system has no createLink) and the bundle is
 * read-only in the image, so only the temp dir could change under us, and only by our own code.
 */
public final class FileBoundary {
    /** A root as configured (what Python sees) and as it really is on disk. */
    private record Root(Path lexical, Path real) {
    }

    private final List<Root> roots;

    /** Roots must exist; each is resolved to its real path once, here. */
    public FileBoundary(List<Path> roots) throws IOException {
        List<Root> list = new ArrayList<>();
        for (Path root : roots) {
            Path lexical = root.toAbsolutePath().normalize();
            list.add(new Root(lexical, lexical.toRealPath()));
        }
        this.roots = List.copyOf(list);
    }

    /** The real path of an existing file or directory inside a root. NoSuchFile when it is missing but would lie inside. */
    public Path existing(Path path) throws IOException {
        Path lexical = insideLexically(path);
        Path real = lexical.toRealPath();
        requireInside(real, path);
        return real;
    }

    /**
     * Where a file that may not exist yet would be: its directory's real path (inside a root) and its
     * name. An existing file is resolved as {@link #existing}, so a link leading out is refused.
     */
    public Path forCreate(Path path) throws IOException {
        Path lexical = insideLexically(path);
        if (Files.exists(lexical, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isSymbolicLink(lexical) && !Files.exists(lexical)) {
                throw new AccessDeniedException(path.toString(), null, "a dangling link");
            }
            Path real = lexical.toRealPath();
            requireInside(real, path);
            return real;
        }
        Path parent = lexical.getParent();
        if (parent == null) {
            throw new AccessDeniedException(path.toString(), null, "outside the bundle and the temp dir");
        }
        Path realParent = parent.toRealPath();
        requireInside(realParent, path);
        return realParent.resolve(lexical.getFileName().toString());
    }

    /** The path itself when it is not to be followed (lstat): its directory must lie inside, the last name may be a link. */
    public Path unfollowed(Path path) throws IOException {
        Path lexical = insideLexically(path);
        Path parent = lexical.getParent();
        if (parent == null || isRoot(lexical)) {
            return existing(path);
        }
        Path realParent = parent.toRealPath();
        requireInside(realParent, path);
        return realParent.resolve(lexical.getFileName().toString());
    }

    /** Opens an existing regular file inside a root for reading. */
    public FileChannel openForReading(Path path) throws IOException {
        Path real = existing(path);
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new AccessDeniedException(path.toString(), null, "not a regular file");
        }
        return FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether a real path lies under one of the roots. */
    public boolean contains(Path real) {
        for (Root root : roots) {
            if (real.startsWith(root.real())) {
                return true;
            }
        }
        return false;
    }

    private boolean isRoot(Path lexical) {
        for (Root root : roots) {
            if (lexical.equals(root.lexical()) || lexical.equals(root.real())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The normalized path, when it names something under a root as written (before links). Names must be
     * absolute: a relative one would be resolved against the JVM's working directory, which is nobody's choice.
     */
    private Path insideLexically(Path path) throws IOException {
        if (!path.isAbsolute()) {
            throw new AccessDeniedException(path.toString(), null, "a relative name reached the file boundary");
        }
        Path lexical = path.normalize();
        for (Root root : roots) {
            if (lexical.startsWith(root.lexical()) || lexical.startsWith(root.real())) {
                return lexical;
            }
        }
        throw new AccessDeniedException(path.toString(), null, "outside the bundle and the temp dir");
    }

    private void requireInside(Path real, Path asNamed) throws IOException {
        if (!contains(real)) {
            // Say as little as the sandbox must: the name asked for, not where its link leads.
            throw new AccessDeniedException(asNamed.toString(), null, "a link leading outside the bundle and the temp dir");
        }
    }
}
