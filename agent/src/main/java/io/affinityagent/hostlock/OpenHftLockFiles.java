package io.affinityagent.hostlock;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * {@link HostCpuLocks} through OpenHFT's {@code FileLockBasedLockChecker}: the lock files are
 * AffinityLock's by construction ({@code cpu-N.lock}, an exclusive POSIX lock on the whole file,
 * the holder's pid on the first line). Loaded only when a rule says {@code exclusive = true}; it
 * needs neither JNA nor OpenHFT's {@code Affinity} classes (checked by {@code OpenHftLockFilesTest}).
 *
 * <p>Two things are added around OpenHFT's checker:
 * <ul>
 * <li>A CPU whose file this process already has a lock on (an OpenHFT {@code AffinityLock} of the
 * application, in this same JVM) is taken as held without opening the file: {@code /proc/locks}
 * says so. Opening and closing it would drop that lock.</li>
 * <li>The file it creates (mode rw-rw-rw- less the umask) loses its group and world write bits:
 * others need only read it to see the lock; with write access another user could hold the
 * file open and lock it the moment this JVM exits, or rewrite who holds it.</li>
 * </ul>
 */
public final class OpenHftLockFiles implements HostCpuLocks {

    /** OpenHFT's checker keeps one lock per CPU below this. */
    static final int CPU_LIMIT = 256;

    private final Path directory;
    private final DirectoryLockChecker checker;
    private final long pid;
    private final int[] holders = new int[CPU_LIMIT];
    private final String directoryProblem;

    private OpenHftLockFiles(Path directory, long pid) {
        this.directory = directory;
        this.checker = new DirectoryLockChecker(directory);
        this.pid = pid;
        this.directoryProblem = LockDirectory.problem(directory);
    }

    /**
     * @param directory the lock folder ({@link LockDirectory#resolve})
     * @param pid       this process's id, written on the lock file's first line as OpenHFT does
     */
    public static HostCpuLocks open(Path directory, long pid) {
        return new OpenHftLockFiles(directory, pid);
    }

    /**
     * Does once, now, what OpenHFT's checker does the first time it writes a lock file: format
     * the date with a time-zone name, which loads the JDK's locale data (hundreds of ms on a
     * busy machine), and read the kernel's lock table once. Called on a thread of the agent's own
     * at start, so that the first worker of an exclusive rule does not wait for them.
     */
    public static void warmUp() {
        new java.text.SimpleDateFormat("yyyy.MM.dd 'at' HH:mm:ss z").format(new java.util.Date());
        ProcLocks.read();
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public String directoryProblem() {
        return directoryProblem;
    }

    @Override
    public synchronized boolean acquire(int cpu, String holder) {
        if (cpu < 0 || cpu >= CPU_LIMIT) {
            return false;
        }
        if (holders[cpu] > 0) {
            holders[cpu]++;
            return true;
        }
        Path file = LockDirectory.lockFile(directory, cpu);
        if (Files.isSymbolicLink(file) || lockedBySomeone(file, ProcLocks.read())) {
            return false;
        }
        // OpenHFT's own order (LockInventory): check first, which deletes a stale file (one whose
        // holder died) where the folder allows, then take. Taking alone would fail on a stale file
        // of another user that the folder lets us delete.
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !checker.isLockFree(cpu)) {
            return false;
        }
        boolean taken;
        try {
            // First line the pid (AffinityLock reads it back as the holder), then ours; OpenHFT adds the date.
            taken = checker.obtainLock(cpu, pid + "\naffinity-agent " + holder);
        } catch (IOException | RuntimeException e) {
            return false; // a file of another user we cannot open: theirs
        }
        if (taken) {
            holders[cpu] = 1;
            dropWriteForOthers(file);
        }
        return taken;
    }

    @Override
    public synchronized void release(int cpu) {
        if (cpu < 0 || cpu >= CPU_LIMIT || holders[cpu] == 0) {
            return;
        }
        if (--holders[cpu] == 0) {
            checker.releaseLock(cpu);
        }
    }

    @Override
    public synchronized CpuSet available(CpuSet candidates) {
        ProcLocks kernel = ProcLocks.read();
        CpuSet.Builder out = CpuSet.builder();
        for (int cpu = candidates.first(); cpu >= 0; cpu = candidates.next(cpu + 1)) {
            if (cpu >= CPU_LIMIT) {
                break;
            }
            if (holders[cpu] > 0) {
                out.add(cpu);
                continue;
            }
            Path file = LockDirectory.lockFile(directory, cpu);
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                out.add(cpu);
            } else if (!Files.isSymbolicLink(file) && !lockedBySomeone(file, kernel) && checker.isLockFree(cpu)) {
                // Not locked as far as this pid namespace sees; OpenHFT's check (a shared lock
                // tried on the file) also sees holders in other namespaces, and deletes a stale file.
                out.add(cpu);
            }
        }
        return out.build();
    }

    @Override
    public synchronized CpuSet heldHere() {
        CpuSet.Builder out = CpuSet.builder();
        for (int cpu = 0; cpu < CPU_LIMIT; cpu++) {
            if (holders[cpu] > 0) {
                out.add(cpu);
            }
        }
        return out.build();
    }

    @Override
    public synchronized void releaseAll() {
        for (int cpu = 0; cpu < CPU_LIMIT; cpu++) {
            if (holders[cpu] > 0) {
                holders[cpu] = 0;
                checker.releaseLock(cpu);
            }
        }
    }

    /** A lock the kernel lists on this file, by any process this namespace sees (this one included). */
    private static boolean lockedBySomeone(Path file, ProcLocks kernel) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Object dev = Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            Object ino = Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return true; // not a lock file anyone should use: never take the CPU through it
            }
            List<Long> pids = kernel.holders(((Number) dev).longValue(), ((Number) ino).longValue());
            return !pids.isEmpty();
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return false; // gone, or no unix view: OpenHFT's own check decides
        }
    }

    private static void dropWriteForOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (p.remove(PosixFilePermission.GROUP_WRITE) | p.remove(PosixFilePermission.OTHERS_WRITE)) {
                Files.setPosixFilePermissions(file, p);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not ours to fix (a file system without POSIX modes): the lock holds all the same
        }
    }
}
