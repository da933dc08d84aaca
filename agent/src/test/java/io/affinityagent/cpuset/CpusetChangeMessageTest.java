package io.affinityagent.cpuset;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpusetChangeMessageTest {

    @Test
    void theIssuesExample() {
        assertThat(CpusetChangeMessage.format(CpuSet.range(0, 7), CpuSet.range(2, 5),
                List.of(new RuleChange("orders", CpuSet.range(2, 3), CpuSet.range(2, 3), null),
                        new RuleChange("batch", CpuSet.range(4, 7), CpuSet.range(4, 5), null)), 12, 0))
                .isEqualTo("cpuset changed 0-7 -> 2-5: re-pinned 12 workers; rule batch lost CPUs 6-7");
    }

    @Test
    void gainedMovedAndNoCpuLeftEachSayWhatHappened() {
        String line = CpusetChangeMessage.format(CpuSet.of(1), CpuSet.range(0, 3),
                List.of(new RuleChange("rr", CpuSet.of(1), CpuSet.range(0, 1), null),
                        new RuleChange("hot", CpuSet.of(1), CpuSet.of(0), null),
                        new RuleChange("gone", CpuSet.of(9), CpuSet.range(0, 3), "'9' names no CPU of 0-3")), 1, 2);
        assertThat(line).isEqualTo("cpuset changed 1 -> 0-3: re-pinned 1 worker (2 pins failed);"
                + " rule rr gained CPU 0; rule hot now on CPU 0 (was 1);"
                + " rule gone has no CPU left ('9' names no CPU of 0-3): its workers get the process's CPUs 0-3");
    }

    @Test
    void noRuleChangedIsSaidToo() {
        assertThat(CpusetChangeMessage.format(CpuSet.range(0, 3), CpuSet.range(0, 1),
                List.of(new RuleChange("a", CpuSet.of(0), CpuSet.of(0), null)), 0, 1))
                .isEqualTo("cpuset changed 0-3 -> 0-1: re-pinned 0 workers (1 pin failed); every rule kept its CPUs");
    }
}
