package dev.corral.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real cgroup standing in for a pod's: a memory limit and a CPU quota the kernel enforces, made
 * under this process's own cgroup (v1 or v2) and removed again, with everything in it, on close.
 */
final class PodCgroup implements AutoCloseable {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final List<Path> dirs;
    private final Path memory;
    private final boolean v2;

    private PodCgroup(List<Path> dirs, Path memory, boolean v2) {
        this.dirs = dirs;
        this.memory = memory;
        this.v2 = v2;
    }

    /** Why real cgroups cannot be used here, or null when they can. */
    static String unavailableReason() {
        try (PodCgroup probe = create("probe", 64L << 20, 0.5)) {
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot create cgroups under " + ROOT + " (" + e.getMessage() + "); run as root with writable cgroupfs";
        }
    }

    /** Skips the calling test, with the reason, where cgroups cannot be created here. */
    static void assumeAvailable() {
        String reason = unavailableReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(reason == null, reason);
    }

    static PodCgroup create(String name, long memoryBytes, double cpuCores) throws IOException {
        String unique = "corral-e2e-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
            Path dir = ownPath(ROOT, "0::").resolve(unique);
            Files.createDirectory(dir);
            PodCgroup cgroup = new PodCgroup(List.of(dir), dir, true);
            write(dir.resolve("memory.max"), Long.toString(memoryBytes));
            write(dir.resolve("cpu.max"), Math.round(cpuCores * 100_000) + " 100000");
            return cgroup;
        }
        Path memoryDir = ownPath(ROOT.resolve("memory"), "memory").resolve(unique);
        Path cpuDir = ownPath(ROOT.resolve("cpu"), "cpu").resolve(unique);
        Files.createDirectory(memoryDir);
        List<Path> made = new ArrayList<>(List.of(memoryDir));
        try {
            Files.createDirectory(cpuDir);
            made.add(cpuDir);
            write(memoryDir.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
            write(cpuDir.resolve("cpu.cfs_period_us"), "100000");
            write(cpuDir.resolve("cpu.cfs_quota_us"), Long.toString(Math.round(cpuCores * 100_000)));
        } catch (IOException | RuntimeException e) {
            new PodCgroup(made, memoryDir, false).close();
            throw e;
        }
        return new PodCgroup(made, memoryDir, false);
    }

    /** The directory of this process's cgroup for a v1 controller (or v2's "0::" line) under a mount. */
    private static Path ownPath(Path mount, String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            boolean match = controller.equals("0::") ? line.startsWith("0::") : List.of(parts[1].split(",")).contains(controller);
            if (parts.length == 3 && match) {
                Path dir = mount.resolve(parts[2].substring(1));
                return Files.isDirectory(dir) ? dir : mount;
            }
        }
        return mount;
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value);
    }

    /** The command, started so that the process is born inside this cgroup (a shell joins it, then execs). */
    List<String> wrap(List<String> command) {
        StringBuilder join = new StringBuilder();
        for (Path dir : dirs) {
            join.append("echo $$ > ").append(dir.resolve("cgroup.procs")).append(" && ");
        }
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c", join + "exec \"$@\"", "sh"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** How many processes the kernel's OOM killer has killed in this cgroup. */
    long oomKills() throws IOException {
        Path file = v2 ? memory.resolve("memory.events") : memory.resolve("memory.oom_control");
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring(9).trim());
            }
        }
        return 0;
    }

    /** Changes the CPU quota of the running pod, as the kubelet does for an in-place resize. */
    void setCpu(double cores) throws IOException {
        String quota = Long.toString(Math.round(cores * 100_000));
        for (Path dir : dirs) {
            if (v2) {
                write(dir.resolve("cpu.max"), quota + " 100000");
            } else if (Files.exists(dir.resolve("cpu.cfs_quota_us"))) {
                write(dir.resolve("cpu.cfs_quota_us"), quota);
            }
        }
    }

    /** Changes the memory limit of the running pod, as the kubelet does for an in-place resize. */
    void setMemory(long bytes) throws IOException {
        write(memory.resolve(v2 ? "memory.max" : "memory.limit_in_bytes"), Long.toString(bytes));
    }

    long memoryLimit() throws IOException {
        String text = Files.readString(memory.resolve(v2 ? "memory.max" : "memory.limit_in_bytes")).trim();
        return text.equals("max") ? Long.MAX_VALUE : Long.parseLong(text);
    }

    long memoryUsage() throws IOException {
        return Long.parseLong(Files.readString(memory.resolve(v2 ? "memory.current" : "memory.usage_in_bytes")).trim());
    }

    /** Kills whatever is left inside, then removes the cgroup directories. */
    @Override
    public void close() throws IOException {
        for (Path dir : dirs) {
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (true) {
                List<String> pids;
                try {
                    pids = Files.readAllLines(dir.resolve("cgroup.procs"));
                } catch (NoSuchFileException gone) {
                    break;
                }
                if (pids.isEmpty()) {
                    break;
                }
                for (String pid : pids) {
                    ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("processes " + pids + " would not leave " + dir);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while emptying " + dir, e);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
