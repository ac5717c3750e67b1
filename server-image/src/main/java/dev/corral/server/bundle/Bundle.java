package dev.corral.server.bundle;

import java.nio.file.Files;
import java.nio.file.Path;

/** A handler bundle ready to serve: its root directory (archives already unpacked) and its manifest. */
public record Bundle(Path root, BundleManifest manifest) {

    /** The same bundle serving another callable (the --entrypoint setting wins over the manifest). */
    public Bundle withEntrypoint(Entrypoint entrypoint) {
        BundleManifest m = manifest;
        return new Bundle(root, new BundleManifest(entrypoint, m.staticMounts(), m.warmup(), m.budgets(), m.nativeModules()));
    }

    /** The directory of vendored pure-Python packages, put on {@code sys.path} after the root. */
    public Path lib() {
        return root.resolve("lib");
    }

    /**
     * Opens a bundle from a directory, {@code .zip}, {@code .tar.gz} or {@code .tgz}; archives are unpacked
     * under {@code workDir}.
     */
    public static Bundle open(Path source, Path workDir) throws BundleException {
        if (!Files.exists(source)) {
            throw new BundleException("bundle " + source + " does not exist");
        }
        Path root;
        try {
            if (Files.isDirectory(source)) {
                root = source.toRealPath();
            } else {
                root = new BundleArchive(source).unpackInto(workDir).toRealPath();
            }
        } catch (java.io.IOException e) {
            throw new BundleException("cannot open bundle " + source + ": " + e.getMessage(), e);
        }
        return new Bundle(root, BundleManifest.read(root));
    }
}
