package dev.corral.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A container's cgroup on this machine's node, found by the ID the kubelet reports: the local cluster's
 * kubelet runs here with the cgroupfs driver, so each container is a directory named after its ID under
 * a pod's directory in every v1 hierarchy (cgroup v2: the unified tree).
 */
final class ContainerCgroup {
    private ContainerCgroup() {
    }

    /** The memory limit the kernel enforces on the container, in bytes. */
    static long memoryLimit(String containerId) throws IOException {
        String id = containerId.substring(containerId.indexOf("://") + 3);
        Path v1 = Path.of("/sys/fs/cgroup/memory/kubepods");
        Path v2 = Path.of("/sys/fs/cgroup/kubepods");
        boolean isV1 = Files.isDirectory(v1);
        Path root = isV1 ? v1 : v2;
        try (Stream<Path> dirs = Files.find(root, 4, (p, a) -> a.isDirectory() && p.getFileName().toString().equals(id))) {
            Path dir = dirs.findFirst().orElseThrow(() -> new IOException("no cgroup for container " + id + " under " + root));
            String value = Files.readString(dir.resolve(isV1 ? "memory.limit_in_bytes" : "memory.max")).trim();
            return Long.parseLong(value);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
