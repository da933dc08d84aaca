package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.os.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command learns of a JVM from a fake /proc before it sends it anything. */
class TargetProcessTest {

    private static final String JVM = "7f00-7f01 r-xp 0 08:01 1 /usr/lib/jvm/java-17/lib/server/libjvm.so\n";
    private static final String INSTRUMENT = "7f02-7f03 r-xp 0 08:01 2 /usr/lib/jvm/java-17/lib/libinstrument.so\n";

    @TempDir
    Path proc;

    private TargetProcess hotSpotWith(String maps) throws Exception {
        Files.createDirectories(proc.resolve("self"));
        Path dir = Files.createDirectories(proc.resolve("4242"));
        Files.writeString(dir.resolve("comm"), "java\n");
        Files.writeString(dir.resolve("status"), "Name:\tjava\nNSpid:\t4242\t77\n");
        Files.writeString(dir.resolve("maps"), maps);
        return TargetProcess.findHotSpot(new ProcFs(proc), 4242);
    }

    @Test
    void aJvmThatNeverLoadedTheInstrumentLibraryRunsNoAgent() throws Exception {
        assertThat(hotSpotWith(JVM).mayRunAnAgent()).isFalse();
    }

    @Test
    void aJvmWithTheInstrumentLibraryMayRunOne() throws Exception {
        assertThat(hotSpotWith(JVM + INSTRUMENT).mayRunAnAgent()).isTrue();
    }

    @Test
    void theTriggerFileIsLookedForInTheJvmsWorkingDirectoryThenItsTmpUnderItsOwnPid() throws Exception {
        TargetProcess target = hotSpotWith(JVM);

        assertThat(target.attachTriggers()).containsExactly(proc.resolve("4242/cwd/.attach_pid77"),
                proc.resolve("4242/root/tmp/.attach_pid77"));
        assertThat(target.attachSocket()).isEqualTo(proc.resolve("4242/root/tmp/.java_pid77"));
    }
}
