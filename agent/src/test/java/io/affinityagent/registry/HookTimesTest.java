package io.affinityagent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HookTimesTest {

    @Test
    void countsCallsAndSumsTimeHookByHookInPublishedOrder() {
        HookTimes times = new HookTimes();
        times.record(HookTimes.Hook.WORKER_START, 12_000);
        times.record(HookTimes.Hook.WORKER_START, 8_000);
        times.record(HookTimes.Hook.THREAD_RUN, 500);

        assertThat(times.calls(HookTimes.Hook.WORKER_START)).isEqualTo(2);
        assertThat(times.nanos(HookTimes.Hook.WORKER_START)).isEqualTo(20_000);
        assertThat(times.describe()).isEqualTo("worker-start=2/20000 worker-exit=0/0 worker-created=0/0"
                + " thread-start=0/0 thread-run=1/500");
    }
}
