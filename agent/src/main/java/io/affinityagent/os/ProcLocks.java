package io.affinityagent.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's table of file locks ({@code /proc/locks}): which process holds a lock on which
 * file (device and inode), seen without opening the file. Opening and closing a file that this
 * process holds a POSIX lock on would drop that lock (the kernel's rule, which Java's FileLock
 * inherits), so a lock held by this very process must be found this way. Locks of processes in
 * another pid namespace are not listed (the kernel hides them), so an absent entry does not
 * prove a file free.
 */
public final class ProcLocks {

    /** One lock: its holder's pid (as this process's namespace sees it) and the file's identity. */
    public static final class Lock {
        private final long pid;
        private final int major;
        private final int minor;
        private final long inode;

        Lock(long pid, int major, int minor, long inode) {
            this.pid = pid;
            this.major = major;
            this.minor = minor;
            this.inode = inode;
        }

        public long pid() {
            return pid;
        }

        public boolean isOn(long device, long fileInode) {
            return inode == fileInode && major == deviceMajor(device) && minor == deviceMinor(device);
        }
    }

    private final List<Lock> locks;

    private ProcLocks(List<Lock> locks) {
        this.locks = locks;
    }

    /** The system's table now; empty when /proc/locks cannot be read. */
    public static ProcLocks read() {
        return read(Paths.get("/proc/locks"));
    }

    static ProcLocks read(Path file) {
        try {
            return parse(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return new ProcLocks(List.of());
        }
    }

    /**
     * Parses lines such as {@code 1: POSIX  ADVISORY  WRITE 4242 fd:01:1835017 0 EOF}; the
     * blocked waiters' lines ({@code 1: -> POSIX ...}) are skipped.
     */
    public static ProcLocks parse(String text) {
        List<Lock> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || f[1].equals("->")) {
                continue;
            }
            String[] id = f[5].split(":");
            if (id.length != 3) {
                continue;
            }
            try {
                out.add(new Lock(Long.parseLong(f[4]), Integer.parseInt(id[0], 16), Integer.parseInt(id[1], 16),
                        Long.parseLong(id[2])));
            } catch (NumberFormatException e) {
                // a line of a kind we do not know: not a lock we could match
            }
        }
        return new ProcLocks(out);
    }

    /** The pids holding a lock on the file with this device and inode (often none, rarely more than one). */
    public List<Long> holders(long device, long inode) {
        List<Long> pids = new ArrayList<>();
        for (Lock l : locks) {
            if (l.isOn(device, inode) && !pids.contains(l.pid())) {
                pids.add(l.pid());
            }
        }
        return pids;
    }

    /** glibc's major() for a 64-bit dev_t, as {@code stat} reports it ({@code unix:dev}). */
    static int deviceMajor(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0x00000fffL));
    }

    static int deviceMinor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0x000000ffL));
    }
}
