package io.affinityagent.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.affinityagent.cpu.CpuSet;
import org.junit.jupiter.api.Test;

class UnsupportedCpuAffinityTest {

    private final UnsupportedCpuAffinity affinity = new UnsupportedCpuAffinity("no pinning on Plan 9");

    @Test
    void saysWhyAndPinsNothing() {
        assertThat(affinity.isSupported()).isFalse();
        assertThat(affinity.unsupportedReason()).isEqualTo("no pinning on Plan 9");
        assertThat(affinity.currentThreadId()).isEqualTo(-1);
    }

    @Test
    void everyCallFailsWithTheReasonAndNoErrno() {
        assertFails(() -> affinity.setCurrentThread(CpuSet.of(0)));
        assertFails(affinity::getCurrentThread);
        assertFails(() -> affinity.setThread(1, CpuSet.of(0)));
        assertFails(() -> affinity.getThread(1));
    }

    private static void assertFails(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(AffinityException.class, e -> assertThat(e.errno()).isZero())
                .hasMessage("no pinning on Plan 9");
    }
}
