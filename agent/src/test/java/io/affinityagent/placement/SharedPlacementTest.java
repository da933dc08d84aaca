package io.affinityagent.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.affinityagent.cpu.CpuSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SharedPlacementTest {

    static Stream<CpuSet> cpuSets() {
        return RoundRobinPlacementTest.cpuSets();
    }

    @ParameterizedTest
    @MethodSource("cpuSets")
    void everyWorkerGetsTheWholeSet(CpuSet cpus) {
        SharedPlacement p = new SharedPlacement(cpus);

        List<Slot> held = new ArrayList<>();
        for (int i = 0; i < cpus.size() * 2 + 1; i++) {
            Slot s = p.acquire();
            assertThat(s.mask()).isEqualTo(cpus);
            held.add(s);
        }

        assertThat(p.slotMasks()).containsExactly(cpus);
        assertThat(p.loads()).containsExactly(cpus.size() * 2 + 1);
        assertThat(p.workerCount()).isEqualTo(cpus.size() * 2 + 1);
        for (Slot s : held) {
            p.release(s);
        }
        assertThat(p.loads()).containsExactly(0);
    }

    @Test
    void shortLivedWorkersGiveTheirCountBack() {
        SharedPlacement p = new SharedPlacement(CpuSet.range(0, 7));

        for (int i = 0; i < 300; i++) {
            Slot a = p.acquire();
            Slot b = p.acquire();
            assertThat(p.workerCount()).isEqualTo(2);
            p.release(b);
            p.release(a);
        }

        assertThat(p.workerCount()).isZero();
    }

    @Test
    void releasingASlotOfAnotherPlacementThrows() {
        SharedPlacement p = new SharedPlacement(CpuSet.range(0, 7));
        SharedPlacement other = new SharedPlacement(CpuSet.range(0, 7));
        p.acquire();
        Slot foreign = other.acquire();

        assertThatThrownBy(() -> p.release(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> p.release(new Slot(0, CpuSet.range(0, 7)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(p.loads()).containsExactly(1);
    }

    @Test
    void releasingMoreOftenThanAcquiredThrows() {
        SharedPlacement p = new SharedPlacement(CpuSet.of(0, 1));
        Slot s = p.acquire();
        p.release(s);

        assertThatThrownBy(() -> p.release(s))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released more often than acquired");
        assertThat(p.loads()).containsExactly(0);
    }

    @Test
    void emptyCpuSetIsRejected() {
        assertThatThrownBy(() -> new SharedPlacement(CpuSet.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one CPU");
    }

    @RepeatedTest(10)
    void concurrentStartsReplacementsAndExitsKeepTheCountRight() throws Exception {
        RoundRobinPlacementTest.runConcurrently(new SharedPlacement(CpuSet.range(0, 63)), 12, 3, 300);
    }
}
