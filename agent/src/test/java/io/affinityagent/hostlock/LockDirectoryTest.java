package io.affinityagent.hostlock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultIsOpenHftsTmpdir() {
        assertThat(LockDirectory.resolve(null)).isEqualTo(Paths.get(System.getProperty("java.io.tmpdir")));
        assertThat(LockDirectory.resolve(Paths.get("/var/run/x"))).isEqualTo(Paths.get("/var/run/x"));
        assertThat(LockDirectory.lockFile(Paths.get("/tmp"), 7)).isEqualTo(Paths.get("/tmp/cpu-7.lock"));
    }

    @Test
    void aFolderEveryoneMayWriteWithoutTheStickyBitIsAProblem() throws Exception {
        assertThat(LockDirectory.problem(dir)).isNull();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(LockDirectory.problem(dir)).contains("writable by every user and not sticky");
        Files.setAttribute(dir, "unix:mode", 01777);
        assertThat(LockDirectory.problem(dir)).as("sticky, like /tmp").isNull();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
        assertThat(LockDirectory.problem(dir)).as("a group's folder").isNull();
    }

    @Test
    void aMissingFolderIsAProblem() {
        assertThat(LockDirectory.problem(dir.resolve("nope"))).contains("does not exist");
    }
}
