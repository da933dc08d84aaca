package io.affinityagent.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.affinityagent.bootstrap.NativeCalls;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** kill(2) through the JNI helper, on processes this test starts (signal 0 only checks that it may). */
class ProcessSignalsTest {

    private static ProcessSignals signals;

    @BeforeAll
    static void load() throws Exception {
        assertThat(ProcessSignals.available()).as("the jar carries a helper for this machine").isTrue();
        signals = ProcessSignals.load(NativeCalls.class);
    }

    @Test
    void aSignalReachesTheProcess() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            signals.send(sleep.pid(), 0);
            assertThat(sleep.isAlive()).isTrue();

            signals.send(sleep.pid(), 15); // SIGTERM: the default action ends it

            assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sleep.exitValue()).isEqualTo(128 + 15);
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void aProcessThatIsGoneIsSaidToBe() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();

        assertThatThrownBy(() -> signals.send(done.pid(), 0)).hasMessage("no process " + done.pid());
        assertThatThrownBy(() -> signals.send(-1, 0)).hasMessage("no process -1");
    }
}
