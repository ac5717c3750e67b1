package dev.corral.server.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Both cgroup hierarchies, laid out in a temp dir as the kernel lays them out. */
class CgroupTest {
    @TempDir
    Path root;

    private Path write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    @Test
    void readsV1LimitsUsageThrottlingAndOomKills() throws IOException {
        Path proc = write("proc/self/cgroup", "12:pids:/pod\n4:memory:/kubepods/pod1\n3:cpu,cpuacct:/kubepods/pod1\n");
        write("sys/memory/kubepods/pod1/memory.usage_in_bytes", "104857600\n");
        write("sys/memory/kubepods/pod1/memory.limit_in_bytes", "536870912\n");
        write("sys/memory/kubepods/pod1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        write("sys/cpu/kubepods/pod1/cpu.cfs_quota_us", "150000\n");
        write("sys/cpu/kubepods/pod1/cpu.cfs_period_us", "100000\n");
        write("sys/cpu/kubepods/pod1/cpu.stat", "nr_periods 40\nnr_throttled 7\nthrottled_time 123456789\n");

        Cgroup cgroup = Cgroup.detect(proc, root.resolve("sys")).orElseThrow();
        assertThat(cgroup.version()).isEqualTo("v1");
        assertThat(cgroup.read()).isEqualTo(new CgroupStats(104857600, 536870912, 1.5, 40, 7, 123456789, 2));
    }

    @Test
    void v1WithoutLimitsReportsMinusOne() throws IOException {
        Path proc = write("proc/self/cgroup", "4:memory:/\n3:cpu,cpuacct:/\n");
        write("sys/memory/memory.usage_in_bytes", "100\n");
        write("sys/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("sys/cpu/cpu.cfs_quota_us", "-1\n");
        write("sys/cpu/cpu.cfs_period_us", "100000\n");
        CgroupStats stats = Cgroup.detect(proc, root.resolve("sys")).orElseThrow().read();
        assertThat(stats.memoryLimitBytes()).isEqualTo(-1);
        assertThat(stats.cpuQuotaCores()).isEqualTo(-1);
        assertThat(stats.oomKills()).as("no memory.oom_control file").isEqualTo(-1);
    }

    @Test
    void readsV2FromTheUnifiedHierarchy() throws IOException {
        Path proc = write("proc/self/cgroup", "0::/kubepods/pod2\n");
        write("sys/cgroup.controllers", "cpu memory\n");
        write("sys/kubepods/pod2/memory.current", "2048\n");
        write("sys/kubepods/pod2/memory.max", "max\n");
        write("sys/kubepods/pod2/memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        write("sys/kubepods/pod2/cpu.max", "50000 100000\n");
        write("sys/kubepods/pod2/cpu.stat", "usage_usec 1\nnr_periods 10\nnr_throttled 4\nthrottled_usec 2500\n");

        Cgroup cgroup = Cgroup.detect(proc, root.resolve("sys")).orElseThrow();
        assertThat(cgroup.version()).isEqualTo("v2");
        assertThat(cgroup.read()).isEqualTo(new CgroupStats(2048, -1, 0.5, 10, 4, 2_500_000, 1));
    }

    @Test
    void aNamespacedPathThatIsNotVisibleFallsBackToTheMountRoot() throws IOException {
        Path proc = write("proc/self/cgroup", "0::/../hidden\n");
        write("sys/cgroup.controllers", "memory\n");
        write("sys/memory.current", "7\n");
        assertThat(Cgroup.detect(proc, root.resolve("sys")).orElseThrow().read().memoryUsageBytes()).isEqualTo(7);
    }

    @Test
    void noCgroupFileMeansNoCgroup() {
        assertThat(Cgroup.detect(root.resolve("missing"), root)).isEmpty();
    }
}
