package io.affinityagent.hostlock;

import io.affinityagent.os.ProcFs;
import io.affinityagent.os.ProcLocks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Who holds which CPU host-wide, read from a lock folder: for {@code status}. Each
 * {@code cpu-N.lock} is tried with a shared lock (refused while anyone holds it, whatever their
 * pid namespace), and the holder's pid is the kernel's ({@code /proc/locks}) where this namespace
 * sees it, else the one the file names. The file is read without following links and at most
 * 256 bytes of it: a root {@code status} must never print a file someone linked there.
 *
 * <p>A file this very process holds a lock on is never opened (closing it would drop the lock):
 * its entry says {@code (this process)}. The agent publishes what it holds from memory anyway.
 */
public final class HostLockTable {

    /** One lock file. */
    public static final class Entry {
        private final int cpu;
        private final boolean held;
        private final long kernelPid;
        private final long filePid;
        private final String holder;
        private final String since;
        private final String owner;

        /** For tests and callers that read lock files some other way. */
        public Entry(int cpu, boolean held, long kernelPid, long filePid, String holder, String since, String owner) {
            this.cpu = cpu;
            this.held = held;
            this.kernelPid = kernelPid;
            this.filePid = filePid;
            this.holder = holder;
            this.since = since;
            this.owner = owner;
        }

        public int cpu() {
            return cpu;
        }

        /** False for a file left by a process that died (it blocks nothing; the next taker deletes it). */
        public boolean held() {
            return held;
        }

        /** The holder's pid as the kernel lists it in this namespace, or -1 when it lists none. */
        public long kernelPid() {
            return kernelPid;
        }

        /** The pid on the file's first line (the holder's own namespace), or -1. */
        public long filePid() {
            return filePid;
        }

        /** The pid to show: the kernel's when it lists one, else the file's. */
        public long pid() {
            return kernelPid >= 0 ? kernelPid : filePid;
        }

        /** What the holder wrote beside its pid: {@code affinity-agent rule=orders}; empty for OpenHFT's AffinityLock. */
        public String holder() {
            return holder;
        }

        /** When it was taken, as the file says (OpenHFT's format), or empty. */
        public String since() {
            return since;
        }

        /** The file's owner (user name). */
        public String owner() {
            return owner;
        }
    }

    private HostLockTable() {
    }

    /** Every {@code cpu-N.lock} of the folder, by CPU; empty when the folder does not exist. */
    public static List<Entry> read(Path directory) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        ProcLocks kernel = ProcLocks.read();
        long self = ProcFs.system().selfPid();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "cpu-*.lock")) {
            for (Path file : files) {
                int cpu = cpuOf(file.getFileName().toString());
                if (cpu < 0) {
                    continue;
                }
                Entry e = entry(file, cpu, kernel, self);
                if (e != null) {
                    out.add(e);
                }
            }
        }
        out.sort(Comparator.comparingInt(Entry::cpu));
        return out;
    }

    static int cpuOf(String name) {
        String digits = name.substring("cpu-".length(), name.length() - ".lock".length());
        if (digits.isEmpty() || digits.length() > 5) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(digits);
    }

    private static Entry entry(Path file, int cpu, ProcLocks kernel, long self) {
        BasicFileAttributes a;
        long kernelPid = -1;
        String owner = "?";
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return null; // a link or anything else is no lock file: never opened
            }
            owner = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName();
            List<Long> pids = kernel.holders(((Number) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue(),
                    ((Number) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue());
            kernelPid = pids.isEmpty() ? -1 : pids.get(0);
            if (pids.contains(self)) {
                return new Entry(cpu, true, self, self, "(this process)", "", owner);
            }
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return null; // gone since the listing
        }
        String text = "";
        boolean held = kernelPid >= 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buf = ByteBuffer.allocate(256);
            ch.read(buf, 0);
            text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            if (!held) {
                FileLock probe = ch.tryLock(0, Long.MAX_VALUE, true);
                held = probe == null;
                if (probe != null) {
                    probe.release();
                }
            }
        } catch (IOException e) {
            // unreadable (another user's file, mode 600): the kernel's word is all there is
            held = held || kernelPid >= 0;
        }
        String[] lines = text.split("\n", -1);
        long filePid = -1;
        try {
            filePid = Long.parseLong(lines[0].trim());
        } catch (NumberFormatException e) {
            // not OpenHFT's format
        }
        String holder = "";
        String since = "";
        if (lines.length >= 3 && lines[1].startsWith("affinity-agent")) {
            holder = printable(lines[1]);
            since = printable(lines[2]);
        } else if (lines.length >= 2) {
            since = printable(lines[1]);
        }
        return new Entry(cpu, held, kernelPid, filePid, holder, since, owner);
    }

    /** At most 80 characters, control characters replaced: a file's text must not drive the terminal. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 80; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString().trim();
    }
}
