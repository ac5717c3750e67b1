package dev.corral.server.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The cgroup this process lives in, v1 or v2: the pod's hard limits, which the kernel enforces and
 * the operator's quota autoscaling reads through the server's metrics.
 */
public interface Cgroup {
    /** Reads the current limits and counters; each read touches a few sysfs files, no disk. */
    CgroupStats read() throws IOException;

    /** Which hierarchy, for the log: {@code v1} or {@code v2}. */
    String version();

    /** The cgroup of this process, when the hierarchy is mounted where containers mount it. */
    static Optional<Cgroup> ofThisProcess() {
        return detect(Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup"));
    }

    /** Finds the cgroup described by a {@code /proc/PID/cgroup} file under a cgroupfs mount root. */
    static Optional<Cgroup> detect(Path procCgroup, Path mountRoot) {
        List<String> lines;
        try {
            lines = Files.readAllLines(procCgroup);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (Files.exists(mountRoot.resolve("cgroup.controllers"))) {
            for (String line : lines) {
                if (line.startsWith("0::")) {
                    return Optional.of(new CgroupV2(within(mountRoot, line.substring(3))));
                }
            }
            return Optional.empty();
        }
        Path memory = null;
        Path cpu = null;
        for (String line : lines) {
            String[] parts = line.split(":", 3);
            if (parts.length < 3) {
                continue;
            }
            for (String controller : parts[1].split(",")) {
                if (controller.equals("memory")) {
                    memory = within(mountRoot.resolve("memory"), parts[2]);
                } else if (controller.equals("cpu")) {
                    cpu = within(mountRoot.resolve("cpu"), parts[2]);
                }
            }
        }
        if (memory == null && cpu == null) {
            return Optional.empty();
        }
        return Optional.of(new CgroupV1(memory, cpu));
    }

    /**
     * The directory of a cgroup path under a mount. Inside a container with a cgroup namespace the
     * path is "/" or names a directory the container cannot see: the mount root is then its cgroup.
     */
    private static Path within(Path mount, String cgroupPath) {
        Path dir = mount.resolve(cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath);
        return Files.isDirectory(dir) ? dir : mount;
    }
}
