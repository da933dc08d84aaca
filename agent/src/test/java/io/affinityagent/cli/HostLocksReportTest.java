package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.hostlock.HostLockTable;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostLocksReportTest {

    @Test
    void mineOthersOpenHftsAndStaleFiles() {
        String text = HostLocksReport.text(Paths.get("/var/run/affinity-locks"), CpuSet.of(2), 4242, List.of(
                new HostLockTable.Entry(2, true, 4242, 4242, "affinity-agent rule=orders", "2026.12.06 at 04:10:39 UTC", "app"),
                new HostLockTable.Entry(3, true, 5151, 5151, "affinity-agent rule=orders", "2026.12.06 at 04:11:00 UTC", "app"),
                new HostLockTable.Entry(5, true, -1, 17, "", "2026.12.06 at 03:00:00 UTC", "chronicle"),
                new HostLockTable.Entry(7, false, -1, 999, "affinity-agent rule=batch", "2026.12.05 at 22:00:00 UTC", "app")));
        assertThat(text).isEqualTo(String.join("\n",
                "host-wide CPU locks in /var/run/affinity-locks: this JVM holds CPU 2",
                "  CPU  PID   USER       SINCE                       HOLDER",
                "  2    4242  app        2026.12.06 at 04:10:39 UTC  this JVM: affinity-agent rule=orders",
                "  3    5151  app        2026.12.06 at 04:11:00 UTC  affinity-agent rule=orders",
                "  5    17    chronicle  2026.12.06 at 03:00:00 UTC  OpenHFT AffinityLock (or another user of its lock files)",
                "  7    -     app        2026.12.05 at 22:00:00 UTC  free: a file left by pid 999, which ended (it blocks nothing)",
                ""));
    }

    @Test
    void anEmptyFolder() {
        assertThat(HostLocksReport.text(Paths.get("/tmp"), CpuSet.empty(), 1, List.of()))
                .isEqualTo("host-wide CPU locks in /tmp: this JVM holds none\n  no lock file there\n");
    }
}
