package dev.corral.server.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** cgroup v2: one unified directory. */
final class CgroupV2 implements Cgroup {
    private final Path dir;

    CgroupV2(Path dir) {
        this.dir = dir;
    }

    @Override
    public CgroupStats read() throws IOException {
        double cores = -1;
        try {
            String[] max = Files.readString(dir.resolve("cpu.max")).trim().split("\\s+");
            if (!max[0].equals("max") && max.length == 2) {
                cores = Double.parseDouble(max[0]) / Double.parseDouble(max[1]);
            }
        } catch (NoSuchFileException e) {
            // the cpu controller is not enabled for this cgroup
        }
        Path stat = dir.resolve("cpu.stat");
        long throttledMicros = CgroupFiles.field(stat, "throttled_usec");
        return new CgroupStats(
                CgroupFiles.number(dir.resolve("memory.current")),
                CgroupFiles.number(dir.resolve("memory.max")),
                cores,
                CgroupFiles.field(stat, "nr_periods"),
                CgroupFiles.field(stat, "nr_throttled"),
                throttledMicros < 0 ? -1 : throttledMicros * 1000,
                CgroupFiles.field(dir.resolve("memory.events"), "oom_kill"));
    }

    @Override
    public String version() {
        return "v2";
    }
}
