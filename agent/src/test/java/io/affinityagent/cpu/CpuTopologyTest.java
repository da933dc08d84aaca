package io.affinityagent.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuTopologyTest {

    @Test
    void coresAreOrderedBySocketThenNodeThenLowestCpu() {
        CpuTopology t = Topologies.twoSocketsEightCoresTwoThreads();

        assertThat(t.cpus()).isEqualTo(CpuSet.range(0, 31));
        assertThat(t.cores()).hasSize(16);
        assertThat(t.cores().get(0).cpus()).isEqualTo(CpuSet.of(0, 16));
        assertThat(t.cores().get(7).cpus()).isEqualTo(CpuSet.of(7, 23));
        assertThat(t.cores().get(8).cpus()).isEqualTo(CpuSet.of(8, 24));
        assertThat(t.cores().get(8).socket()).isEqualTo(1);
        assertThat(t.coreOf(24)).isSameAs(t.cores().get(8));
        assertThat(t.sockets()).containsExactly(0, 1);
        assertThat(t.nodes()).containsExactly(0, 1);
        assertThat(t.maxThreadsPerCore()).isEqualTo(2);
        assertThat(t.summary()).isEqualTo("2 sockets, 2 NUMA nodes, 16 cores, 32 CPUs");
    }

    @Test
    void socketAndNodeCpus() {
        CpuTopology t = Topologies.fourNodesSixteenCores();

        assertThat(t.socketCpus(1)).isEqualTo(CpuSet.range(32, 63));
        assertThat(t.nodeCpus(1)).isEqualTo(CpuSet.range(16, 31));
        assertThat(t.nodeCpus(7)).isEqualTo(CpuSet.empty());
        assertThat(t.nodeOf(40)).isEqualTo(2);
        assertThat(t.socketOf(40)).isEqualTo(1);
        assertThat(t.socketOf(64)).isEqualTo(-1);
    }

    @Test
    void restrictingDropsCpusAndEmptyCores() {
        CpuTopology t = Topologies.twoSocketsEightCoresTwoThreads().restrictTo(CpuSet.of(0, 1, 16, 30));

        assertThat(t.cores()).extracting(c -> c.cpus().toString()).containsExactly("0,16", "1", "30");
        assertThat(t.cores()).extracting(CpuTopology.Core::index).containsExactly(0, 1, 2);
        assertThat(t.sockets()).containsExactly(0, 1);
    }

    @Test
    void flatTopologyMakesEveryCpuACore() {
        CpuTopology t = CpuTopology.flat(CpuSet.of(2, 5), "no topology");

        assertThat(t.fromHardware()).isFalse();
        assertThat(t.cores()).extracting(c -> c.cpus().toString()).isEqualTo(List.of("2", "5"));
        assertThat(t.sockets()).containsExactly(0);
    }

    @Test
    void aCoreCannotSpanNodesNorACpuAppearTwice() {
        assertThatThrownBy(() -> CpuTopology.builder("x").add(0, 0, 0, 0).add(1, 0, 0, 1))
                .hasMessageContaining("CPU 1 is on node 1");
        assertThatThrownBy(() -> CpuTopology.builder("x").add(0, 0, 0, 0).add(0, 0, 1, 0))
                .hasMessageContaining("CPU 0 is given twice");
    }
}
