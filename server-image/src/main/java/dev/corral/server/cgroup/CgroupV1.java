package dev.corral.server.cgroup;

import java.io.IOException;
import java.nio.file.Path;

/** cgroup v1: separate memory and cpu hierarchies. */
final class CgroupV1 implements Cgroup {
    private final Path memory;
    private final Path cpu;

    CgroupV1(Path memory, Path cpu) {
        this.memory = memory;
        this.cpu = cpu;
    }

    @Override
    public CgroupStats read() throws IOException {
        long usage = memory == null ? -1 : CgroupFiles.number(memory.resolve("memory.usage_in_bytes"));
        long limit = memory == null ? -1 : CgroupFiles.number(memory.resolve("memory.limit_in_bytes"));
        long oomKills = memory == null ? -1 : CgroupFiles.field(memory.resolve("memory.oom_control"), "oom_kill");
        double cores = -1;
        long periods = -1;
        long throttled = -1;
        long throttledNanos = -1;
        if (cpu != null) {
            long quota = CgroupFiles.number(cpu.resolve("cpu.cfs_quota_us"));
            long period = CgroupFiles.number(cpu.resolve("cpu.cfs_period_us"));
            if (quota > 0 && period > 0) {
                cores = (double) quota / period;
            }
            Path stat = cpu.resolve("cpu.stat");
            periods = CgroupFiles.field(stat, "nr_periods");
            throttled = CgroupFiles.field(stat, "nr_throttled");
            throttledNanos = CgroupFiles.field(stat, "throttled_time");
        }
        return new CgroupStats(usage, limit, cores, periods, throttled, throttledNanos, oomKills);
    }

    @Override
    public String version() {
        return "v1";
    }
}
