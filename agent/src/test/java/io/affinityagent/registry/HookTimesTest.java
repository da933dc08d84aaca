package io.affinityagent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HookTimesTest {

    @Test
    void keepsTheFirstCallApartAndSumsTheLaterOnesHookByHookInPublishedOrder() {
        HookTimes times = new HookTimes();
        assertThat(times.describe()).as("nothing ran yet").isEmpty();

        times.record(HookTimes.Hook.WORKER_START, 35_000_000);
        times.record(HookTimes.Hook.WORKER_START, 12_000);
        times.record(HookTimes.Hook.WORKER_START, 8_000);
        times.record(HookTimes.Hook.THREAD_RUN, 500);

        assertThat(times.firstNanos(HookTimes.Hook.WORKER_START)).isEqualTo(35_000_000);
        assertThat(times.laterCalls(HookTimes.Hook.WORKER_START)).isEqualTo(2);
        assertThat(times.laterNanos(HookTimes.Hook.WORKER_START)).isEqualTo(20_000);
        assertThat(times.firstNanos(HookTimes.Hook.WORKER_EXIT)).isEqualTo(-1);
        assertThat(times.describe()).isEqualTo("worker-start=35000000/2/20000 thread-run=500/0/0");
    }
}
