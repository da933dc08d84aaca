package io.affinityagent.hostlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock side against the real file system and real second JVMs: a temporary lock folder, and
 * processes that lock as OpenHFT's AffinityLock does or as the agent does. CPU numbers here are
 * only lock-file names; nothing is pinned.
 */
class OpenHftLockFilesTest {

    @TempDir
    Path dir;

    private HostCpuLocks locks;
    private final long pid = ProcFs.system().selfPid();

    @BeforeEach
    void open() {
        locks = OpenHftLockFiles.open(dir, pid);
    }

    @AfterEach
    void releaseEverything() {
        locks.releaseAll();
    }

    /**
     * The file's lines, read by another process: opening and closing a file this process holds a
     * lock on would drop the lock (the kernel's rule for POSIX locks, found the hard way here).
     */
    private List<String> lines(int cpu) throws Exception {
        Process cat = new ProcessBuilder("cat", LockDirectory.lockFile(dir, cpu).toString()).start();
        String text = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cat.waitFor()).isZero();
        return List.of(text.split("\n"));
    }

    @Test
    void aLockIsCountedPerWorkerAndItsFileIsOpenHfts() throws Exception {
        assertThat(locks.acquire(2, "rule=orders")).isTrue();
        assertThat(locks.acquire(2, "rule=orders")).isTrue();
        assertThat(locks.heldHere()).isEqualTo(CpuSet.of(2));
        List<String> content = lines(2);
        assertThat(content.get(0)).as("OpenHFT reads the holder's pid from the first line").isEqualTo(Long.toString(pid));
        assertThat(content.get(1)).isEqualTo("affinity-agent rule=orders");
        assertThat(content.get(2)).as("OpenHFT's date").matches("\\d{4}\\.\\d{2}\\.\\d{2} at .*");

        locks.release(2);
        assertThat(locks.heldHere()).as("one worker is still on it").isEqualTo(CpuSet.of(2));
        try (LockHolder other = LockHolder.start("openhft", dir, 2)) {
            assertThat(other.locked).as("held while a worker is on it").isFalse();
        }
        locks.release(2);
        assertThat(locks.heldHere()).isEqualTo(CpuSet.empty());
        assertThat(Files.exists(LockDirectory.lockFile(dir, 2))).as("released and deleted").isFalse();
        locks.release(2); // nothing held: nothing happens
    }

    @Test
    void anOpenHftHolderBlocksTheCpuAndItsKill9FreesIt() throws Exception {
        LockHolder holder = LockHolder.start("openhft", dir, 3);
        try {
            assertThat(holder.locked).isTrue();
            assertThat(locks.acquire(3, "rule=a")).isFalse();
            assertThat(locks.available(CpuSet.range(2, 4))).isEqualTo(CpuSet.of(2, 4));

            List<HostLockTable.Entry> table = HostLockTable.read(dir);
            assertThat(table).hasSize(1);
            HostLockTable.Entry e = table.get(0);
            assertThat(e.cpu()).isEqualTo(3);
            assertThat(e.held()).isTrue();
            assertThat(e.kernelPid()).isEqualTo(holder.pid());
            assertThat(e.filePid()).isEqualTo(holder.pid());
            assertThat(e.holder()).as("OpenHFT writes only its pid").isEmpty();
            assertThat(e.owner()).isEqualTo(System.getProperty("user.name"));
        } finally {
            holder.kill9();
        }
        assertThat(Files.exists(LockDirectory.lockFile(dir, 3))).as("kill -9 leaves the file behind").isTrue();
        HostLockTable.Entry stale = HostLockTable.read(dir).get(0);
        assertThat(stale.held()).as("a stale file").isFalse();
        assertThat(stale.kernelPid()).isEqualTo(-1);
        assertThat(stale.filePid()).isEqualTo(holder.pid());

        assertThat(locks.available(CpuSet.of(3))).as("a stale file blocks nothing").isEqualTo(CpuSet.of(3));
        assertThat(locks.acquire(3, "rule=a")).isTrue();
        assertThat(lines(3).get(0)).isEqualTo(Long.toString(pid));
    }

    @Test
    void aCpuThisJvmHoldsIsRefusedToOpenHftAndToAnotherAgentUntilReleased() throws Exception {
        assertThat(locks.acquire(5, "rule=hot")).isTrue();
        try (LockHolder openhft = LockHolder.start("openhft", dir, 5);
             LockHolder agent = LockHolder.start("agent", dir, 5)) {
            assertThat(openhft.locked).isFalse();
            assertThat(agent.locked).isFalse();
        }
        HostLockTable.Entry mine = HostLockTable.read(dir).get(0);
        assertThat(mine.held()).isTrue();
        assertThat(mine.pid()).isEqualTo(pid);
        assertThat(mine.holder()).as("never opened in the process that holds it").isEqualTo("(this process)");
        try (LockHolder openhft = LockHolder.start("openhft", dir, 5)) {
            assertThat(openhft.locked).as("reading the table kept this JVM's lock").isFalse();
        }

        locks.release(5);
        try (LockHolder agent = LockHolder.start("agent", dir, 5)) {
            assertThat(agent.locked).isTrue();
            HostLockTable.Entry theirs = HostLockTable.read(dir).get(0);
            assertThat(theirs.held()).isTrue();
            assertThat(theirs.pid()).isEqualTo(agent.pid());
            assertThat(theirs.filePid()).isEqualTo(agent.pid());
            assertThat(theirs.holder()).isEqualTo("affinity-agent rule=child");
            assertThat(theirs.since()).matches("\\d{4}\\.\\d{2}\\.\\d{2} at .*");
            assertThat(locks.acquire(5, "rule=hot")).as("now the other agent's").isFalse();
            agent.release();
            assertThat(locks.acquire(5, "rule=hot")).isTrue();
        }
    }

    /**
     * An application's own AffinityLock in this JVM holds cpu-6.lock through a channel of its own.
     * Opening and closing that file here would drop its lock (POSIX locks are per process): the
     * agent must see it in /proc/locks and leave the file alone.
     */
    @Test
    void aLockThisProcessHoldsElsewhereIsNeverOpened() throws Exception {
        Path file = LockDirectory.lockFile(dir, 6);
        try (FileChannel app = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            FileLock appLock = app.tryLock();
            assertThat(appLock).isNotNull();

            assertThat(locks.acquire(6, "rule=a")).isFalse();
            assertThat(locks.available(CpuSet.range(6, 7))).isEqualTo(CpuSet.of(7));

            try (LockHolder other = LockHolder.start("openhft", dir, 6)) {
                assertThat(other.locked).as("the application's lock survived the agent's checks").isFalse();
            }
            assertThat(appLock.isValid()).isTrue();
        }
    }

    @Test
    void itsFilesAreNeverWritableByOthersWhateverTheUmask() throws Exception {
        try (LockHolder agent = LockHolder.start("000", "agent", dir, 8);
             LockHolder openhft = LockHolder.start("000", "openhft", dir, 9)) {
            assertThat(agent.locked).isTrue();
            assertThat(openhft.locked).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(LockDirectory.lockFile(dir, 9))))
                    .as("OpenHFT alone, umask 000").isEqualTo("rw-rw-rw-");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(LockDirectory.lockFile(dir, 8))))
                    .as("the agent, umask 000").isEqualTo("rw-r--r--");
        }
    }

    /**
     * What taking a lock loads: OpenHFT's lock checker and SLF4J (silenced by slf4j-nop), never
     * JNA, nor OpenHFT's Affinity, IAffinity or their implementations; and nothing on stderr.
     */
    @Test
    void lockingLoadsNeitherJnaNorOpenHftsAffinityAndPrintsNothing() throws Exception {
        Path classLog = dir.resolve("classes.log");
        String stderr;
        try (LockHolder agent = LockHolder.start("agent", dir, 10, "-Xlog:class+load=info:file=" + classLog)) {
            assertThat(agent.locked).isTrue();
            agent.release();
            stderr = agent.stderrAfterExit();
        }
        assertThat(stderr).isEmpty();
        String loaded = new String(Files.readAllBytes(classLog), StandardCharsets.UTF_8);
        assertThat(loaded).contains("net.openhft.affinity.lockchecker.FileLockBasedLockChecker ")
                .contains("io.affinityagent.hostlock.OpenHftLockFiles ")
                .doesNotContain("com.sun.jna")
                .doesNotContain("net.openhft.affinity.Affinity ")
                .doesNotContain("net.openhft.affinity.IAffinity ")
                .doesNotContain("net.openhft.affinity.AffinityLock ")
                .doesNotContain("net.openhft.affinity.impl.");
    }

    /**
     * Two users (root and nobody, through setpriv): in a sticky folder like /tmp, a file left by
     * one user's dead JVM keeps the other user off that CPU; in a folder of their group, not sticky
     * (the README's recipe, mode 2770), the other user clears it and takes the CPU. A live lock is
     * respected in both.
     */
    @Test
    void anotherUsersStaleFileIsClearedInAGroupFolderNotInAStickyOne() throws Exception {
        assumeTrue(ProcFs.system().selfOwner().isRoot(), "runs a second user through setpriv: needs root");
        int nobody = 65534;
        Path shared = Files.createTempDirectory("affinity-containers-users");
        try {
            String classPath = readableClassPath(shared.resolve("cp"));
            Path sticky = Files.createDirectory(shared.resolve("sticky"));
            Files.setAttribute(sticky, "unix:mode", 01777);
            Path group = Files.createDirectory(shared.resolve("group"));
            Files.setAttribute(group, "unix:gid", nobody);
            Files.setAttribute(group, "unix:mode", 02770);
            Files.setAttribute(shared, "unix:mode", 0755);
            for (Path folder : List.of(sticky, group)) {
                HostCpuLocks rootLocks = OpenHftLockFiles.open(folder, pid);
                assertThat(rootLocks.acquire(1, "rule=root")).isTrue();
                try (LockHolder other = LockHolder.start(nobody, classPath, null, "agent", folder, 1)) {
                    assertThat(other.locked).as("a live lock in %s", folder.getFileName()).isFalse();
                }
                rootLocks.releaseAll();
                try (LockHolder dead = LockHolder.start("agent", folder, 2)) {
                    assertThat(dead.locked).isTrue();
                    dead.kill9();
                }
                try (LockHolder other = LockHolder.start(nobody, classPath, null, "agent", folder, 2)) {
                    assertThat(other.locked).as("root's stale file in %s", folder.getFileName())
                            .isEqualTo(folder == group);
                }
            }
        } finally {
            deleteTree(shared);
        }
    }

    /** This test's classes and the lock checker's jars, copied where another user can read them. */
    private static String readableClassPath(Path dir) throws IOException {
        StringBuilder cp = new StringBuilder();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path from = java.nio.file.Paths.get(entry);
            String name = from.getFileName().toString();
            boolean needed = Files.isDirectory(from) || name.startsWith("affinity-") || name.startsWith("slf4j-");
            if (!needed || !Files.exists(from)) {
                continue;
            }
            Path to = dir.resolve((i++) + "-" + name);
            try (java.util.stream.Stream<Path> files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(f, target);
                    }
                }
            }
            cp.append(cp.length() > 0 ? java.io.File.pathSeparator : "").append(to);
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.setAttribute(f, "unix:mode", Files.isDirectory(f) ? 0755 : 0644);
            }
        }
        return cp.toString();
    }

    private static void deleteTree(Path root) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            List<Path> all = new java.util.ArrayList<>();
            files.forEach(all::add);
            java.util.Collections.reverse(all);
            for (Path f : all) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Test
    void heldHereAndReleaseAllCoverEveryCpu() {
        assertThat(locks.acquire(0, "rule=a")).isTrue();
        assertThat(locks.acquire(255, "rule=a")).isTrue();
        assertThat(locks.acquire(256, "rule=a")).as("past OpenHFT's limit").isFalse();
        assertThat(locks.heldHere()).isEqualTo(CpuSet.of(0, 255));
        locks.releaseAll();
        assertThat(locks.heldHere()).isEqualTo(CpuSet.empty());
        assertThat(Files.exists(LockDirectory.lockFile(dir, 0))).isFalse();
        assertThat(Files.exists(LockDirectory.lockFile(dir, 255))).isFalse();
    }

    @Test
    void aLinkIsNeverALockFile() throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.write(secret, "root:hash\n".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(LockDirectory.lockFile(dir, 11), secret);

        assertThat(locks.acquire(11, "rule=a")).isFalse();
        assertThat(locks.available(CpuSet.of(11))).isEqualTo(CpuSet.empty());
        assertThat(HostLockTable.read(dir)).as("status reads no linked file").isEmpty();
        assertThat(new String(Files.readAllBytes(secret), StandardCharsets.UTF_8)).isEqualTo("root:hash\n");
    }
}
