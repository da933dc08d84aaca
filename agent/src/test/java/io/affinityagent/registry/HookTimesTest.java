package io.affinityagent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HookTimesTest {

    @Test
    void keepsTheFirstCallApartAndSumsTheLaterOnesHookByHookInPublishedOrder() {
        HookTimes times = new HookTimes();
        assertThat(times.describe()).as("nothing ran yet").isEmpty();

        times.record(HookTimes.Hook.WORKER_START, 35_000_000, 30_000_000);
        times.record(HookTimes.Hook.WORKER_START, 12_000, 0);
        times.record(HookTimes.Hook.WORKER_START, 8_000, 0);
        times.record(HookTimes.Hook.THREAD_RUN, 500, 0);

        assertThat(times.firstNanos(HookTimes.Hook.WORKER_START)).isEqualTo(35_000_000);
        assertThat(times.laterCalls(HookTimes.Hook.WORKER_START)).isEqualTo(2);
        assertThat(times.laterNanos(HookTimes.Hook.WORKER_START)).isEqualTo(20_000);
        assertThat(times.firstNanos(HookTimes.Hook.WORKER_EXIT)).isEqualTo(-1);
        assertThat(times.describe()).isEqualTo("worker-start=35000000/2/20000/0 thread-run=500/0/0/0");
    }

    @Test
    void splitsTheLaterCallsIntoThePinCallAndTheAgentsOwnWork() {
        HookTimes times = new HookTimes();
        times.record(HookTimes.Hook.THREAD_RUN, 1_000_000, 0); // the first: kept apart, not split
        // ten threads moved at once onto a busy CPU: most of each hook is the wait in the pin call
        for (int i = 0; i < 10; i++) {
            times.record(HookTimes.Hook.THREAD_RUN, 12_000_000, 11_996_000);
        }
        times.record(HookTimes.Hook.THREAD_RUN, 5_000, 0); // a thread no rule matched: no pin call

        assertThat(times.laterCalls(HookTimes.Hook.THREAD_RUN)).isEqualTo(11);
        assertThat(times.laterNanos(HookTimes.Hook.THREAD_RUN)).isEqualTo(120_005_000);
        assertThat(times.laterPinNanos(HookTimes.Hook.THREAD_RUN)).isEqualTo(119_960_000);
        assertThat(times.laterOwnNanos(HookTimes.Hook.THREAD_RUN)).isEqualTo(45_000);
        assertThat(times.describe()).isEqualTo("thread-run=1000000/11/120005000/119960000");
    }

    @Test
    void aPinCallLongerThanItsHookIsCappedAtTheHook() {
        HookTimes times = new HookTimes();
        times.record(HookTimes.Hook.WORKER_START, 1, 0);
        times.record(HookTimes.Hook.WORKER_START, 100, 150); // clocks read in another order: never a negative own time

        assertThat(times.laterPinNanos(HookTimes.Hook.WORKER_START)).isEqualTo(100);
        assertThat(times.laterOwnNanos(HookTimes.Hook.WORKER_START)).isZero();
    }
}
