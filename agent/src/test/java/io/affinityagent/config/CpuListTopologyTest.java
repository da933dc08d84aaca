package io.affinityagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import io.affinityagent.cpu.Topologies;
import org.junit.jupiter.api.Test;

class CpuListTopologyTest {

    private static final CpuTopology TWO_SOCKETS = Topologies.twoSocketsEightCoresTwoThreads();
    private static final CpuContext WHOLE_MACHINE = CpuContext.of(TWO_SOCKETS.cpus(), TWO_SOCKETS);

    private static CpuSet resolve(String list, CpuContext context) throws CpuListException {
        return CpuList.parse(list).resolve(context);
    }

    @Test
    void kernelSyntaxAllExclusionAndPositions() throws CpuListException {
        CpuContext container = CpuContext.of(CpuSet.of(4, 5, 6, 7));

        assertThat(resolve("0-3,8,10-15:2", container)).isEqualTo(CpuSet.of(0, 1, 2, 3, 8, 10, 12, 14));
        assertThat(resolve("all", container)).isEqualTo(CpuSet.of(4, 5, 6, 7));
        assertThat(resolve("all,!5", container)).isEqualTo(CpuSet.of(4, 6, 7));
        assertThat(resolve("+1", container)).isEqualTo(CpuSet.of(5));
        assertThat(resolve("+0-3:2", container)).isEqualTo(CpuSet.of(4, 6));
        assertThat(resolve("all,!+0", container)).isEqualTo(CpuSet.of(5, 6, 7));
    }

    @Test
    void nodeAndSocketNameTheirCpus() throws CpuListException {
        assertThat(resolve("socket:1", WHOLE_MACHINE)).isEqualTo(CpuSet.of(8, 9, 10, 11, 12, 13, 14, 15)
                .union(CpuSet.range(24, 31)));
        assertThat(resolve("node:0", WHOLE_MACHINE)).isEqualTo(CpuSet.range(0, 7).union(CpuSet.range(16, 23)));
        assertThat(resolve("node:0-1", WHOLE_MACHINE)).isEqualTo(CpuSet.range(0, 31));
        assertThat(resolve("socket:0,8", WHOLE_MACHINE)).isEqualTo(CpuSet.range(0, 8).union(CpuSet.range(16, 23)));
    }

    @Test
    void nodeAndSocketWorkWithExclusionAndPositions() throws CpuListException {
        assertThat(resolve("all,!socket:1", WHOLE_MACHINE)).isEqualTo(CpuSet.range(0, 7).union(CpuSet.range(16, 23)));
        assertThat(resolve("socket:0,!16-23", WHOLE_MACHINE)).isEqualTo(CpuSet.range(0, 7));
        assertThat(resolve("node:1,!+8", WHOLE_MACHINE)).isEqualTo(CpuSet.range(9, 15).union(CpuSet.range(24, 31)));
        assertThat(resolve("all, !node:0, !socket:1", WHOLE_MACHINE)).isEqualTo(CpuSet.empty());
    }

    @Test
    void nodeAndSocketOnlyGiveCpusTheProcessMayUse() throws CpuListException {
        CpuContext container = CpuContext.of(CpuSet.of(6, 7, 8, 9), TWO_SOCKETS.restrictTo(CpuSet.of(6, 7, 8, 9)));

        assertThat(resolve("socket:0", container)).isEqualTo(CpuSet.of(6, 7));
        assertThat(resolve("all,!socket:0", container)).isEqualTo(CpuSet.of(8, 9));
    }

    @Test
    void anUnknownNodeOrSocketIsAnError() {
        assertThatThrownBy(() -> resolve("node:2", WHOLE_MACHINE)).isInstanceOf(CpuListException.class)
                .hasMessage("'node:2': there is no NUMA node 2 among the CPUs this process may use (nodes 0-1 in"
                        + " 2 sockets x 8 cores x 2 threads)");
        assertThatThrownBy(() -> resolve("all,!socket:0-2", WHOLE_MACHINE)).hasMessageContaining("there is no socket 2");
    }

    @Test
    void malformedNodeAndSocketTermsAreNamed() {
        assertThatThrownBy(() -> CpuList.parse("node:x")).hasMessageContaining("expected a NUMA node number");
        assertThatThrownBy(() -> CpuList.parse("socket:")).hasMessageContaining("expected a socket number");
        assertThatThrownBy(() -> CpuList.parse("node:1-0")).hasMessage("'node:1-0' is a reversed range; write node:0-1");
        assertThatThrownBy(() -> CpuList.parse("nodes:1")).hasMessageContaining(
                "unknown word 'nodes'; expected a CPU number, all, +N (a position), node:N or socket:N");
        assertThatThrownBy(() -> CpuList.parse("!socket:1")).hasMessageContaining("only excludes CPUs");
    }

    @Test
    void explicitCpusLeaveOutWhatAllNodeAndSocketBring() throws CpuListException {
        CpuList list = CpuList.parse("all,socket:1,2-3,+5,!3");

        assertThat(list.explicitCpus(WHOLE_MACHINE)).isEqualTo(CpuSet.of(2, 3, 5));
        assertThat(list.usesTopology()).isTrue();
        assertThat(CpuList.parse("all,!0").usesTopology()).isFalse();
    }
}
