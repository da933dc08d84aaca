package io.affinityagent.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcLocksTest {

    @TempDir
    Path dir;

    @Test
    void parsesTheKernelsLinesAndSkipsWaiters() {
        ProcLocks locks = ProcLocks.parse(String.join("\n",
                "1: POSIX  ADVISORY  WRITE 4242 fd:01:1835017 0 EOF",
                "1: -> POSIX  ADVISORY  WRITE 5151 fd:01:1835017 0 EOF",
                "2: FLOCK  ADVISORY  WRITE 99 00:1a:12 0 EOF",
                "3: OFDLCK ADVISORY  READ  -1 08:02:77 0 EOF",
                "garbage"));
        long dev = (0xfdL << 8) | 0x01; // major 0xfd, minor 1 in the old 16-bit encoding glibc still reads
        assertThat(locks.holders(dev, 1835017)).containsExactly(4242L);
        assertThat(locks.holders((0x00L << 8) | 0x1a, 12)).containsExactly(99L);
        assertThat(locks.holders(dev, 1)).isEmpty();
        assertThat(ProcLocks.deviceMajor(0x0000_0001_0000_0000L | 0x103)).isEqualTo(0x1);
    }

    @Test
    void findsThisProcesssOwnLockOnARealFile() throws Exception {
        Path file = dir.resolve("cpu-1.lock");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            assertThat(lock).isNotNull();
            long dev = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
            long ino = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            assertThat(ProcLocks.read().holders(dev, ino)).containsExactly(ProcFs.system().selfPid());
        }
    }
}
