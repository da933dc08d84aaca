package io.affinityagent.os;

import io.affinityagent.config.CpuList;
import io.affinityagent.config.CpuListException;
import io.affinityagent.cpu.CpuSet;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one reader of /proc, used by the agent, the command line and the demo: what the kernel
 * says a thread may run on and where it last ran. Reading needs no native code, so it works
 * for any process of the same user, with or without the agent.
 */
public final class ProcFs {

    private static final ProcFs SYSTEM = new ProcFs(Paths.get("/proc"));

    private final Path root;

    public ProcFs(Path root) {
        this.root = root;
    }

    public static ProcFs system() {
        return SYSTEM;
    }

    /** What one thread's status and stat files say. */
    public static final class ThreadInfo {
        private final int tid;
        private final String name;
        private final CpuSet allowedCpus;
        private final int lastCpu;

        public ThreadInfo(int tid, String name, CpuSet allowedCpus, int lastCpu) {
            this.tid = tid;
            this.name = name;
            this.allowedCpus = allowedCpus;
            this.lastCpu = lastCpu;
        }

        public int tid() {
            return tid;
        }

        /** The kernel's name (comm): at most 15 bytes of the Java thread name. */
        public String name() {
            return name;
        }

        /** Cpus_allowed_list. */
        public CpuSet allowedCpus() {
            return allowedCpus;
        }

        /** Field 39 of stat: the CPU the thread last ran on. */
        public int lastCpu() {
            return lastCpu;
        }
    }

    public boolean isAvailable() {
        return Files.isDirectory(root.resolve("self").resolve("task"));
    }

    /** The CPUs the process may use: its main thread's Cpus_allowed_list. */
    public CpuSet processAllowedCpus(long pid) throws IOException {
        return allowedCpus(root.resolve(Long.toString(pid)).resolve("status"));
    }

    public CpuSet selfAllowedCpus() throws IOException {
        return allowedCpus(root.resolve("self").resolve("status"));
    }

    public CpuSet threadAllowedCpus(long pid, int tid) throws IOException {
        return allowedCpus(taskDir(pid, tid).resolve("status"));
    }

    public int lastCpu(long pid, int tid) throws IOException {
        return parseLastCpu(read(taskDir(pid, tid).resolve("stat")));
    }

    /** The native ids of the process's threads, ascending; empty when the process is gone. */
    public List<Integer> threadIds(long pid) throws IOException {
        List<Integer> tids = new ArrayList<>();
        Path tasks = root.resolve(Long.toString(pid)).resolve("task");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path p : dir) {
                String n = p.getFileName().toString();
                if (isNumber(n)) {
                    tids.add(Integer.parseInt(n));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        Collections.sort(tids);
        return tids;
    }

    /** One thread, or null when it exited while we looked. */
    public ThreadInfo thread(long pid, int tid) {
        try {
            Path dir = taskDir(pid, tid);
            String status = read(dir.resolve("status"));
            String stat = read(dir.resolve("stat"));
            return new ThreadInfo(tid, statusField(status, "Name"), parseAllowed(status, dir.resolve("status")),
                    parseLastCpu(stat));
        } catch (IOException e) {
            return null;
        }
    }

    /** Every thread of the process that is still there. */
    public List<ThreadInfo> threads(long pid) throws IOException {
        List<ThreadInfo> out = new ArrayList<>();
        for (int tid : threadIds(pid)) {
            ThreadInfo t = thread(pid, tid);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * One thread's scheduler counters, for rates between two readings (the live view): what
     * /proc/PID/task/TID/status, stat, schedstat and sched say. The last two are optional in
     * the kernel (CONFIG_SCHEDSTATS, CONFIG_SCHED_DEBUG); what they would give is then taken
     * from stat, or is unknown (-1).
     */
    public static final class ThreadCounters {
        private final ThreadInfo info;
        private final long cpuNanos;
        private final boolean cpuNanosExact;
        private final long runQueueWaitNanos;
        private final long voluntarySwitches;
        private final long involuntarySwitches;
        private final long migrations;

        public ThreadCounters(ThreadInfo info, long cpuNanos, boolean cpuNanosExact, long runQueueWaitNanos,
                              long voluntarySwitches, long involuntarySwitches, long migrations) {
            this.info = info;
            this.cpuNanos = cpuNanos;
            this.cpuNanosExact = cpuNanosExact;
            this.runQueueWaitNanos = runQueueWaitNanos;
            this.voluntarySwitches = voluntarySwitches;
            this.involuntarySwitches = involuntarySwitches;
            this.migrations = migrations;
        }

        /** Name, Cpus_allowed_list and the last CPU (field 39 of stat). */
        public ThreadInfo info() {
            return info;
        }

        /**
         * CPU time used so far: the first field of schedstat (nanoseconds), or where the kernel has
         * no schedstat, utime + stime of stat in clock ticks of 10 ms (USER_HZ is 100 on x86-64 and
         * aarch64).
         */
        public long cpuNanos() {
            return cpuNanos;
        }

        /** Whether {@link #cpuNanos()} came from schedstat (nanoseconds) rather than stat (10 ms ticks). */
        public boolean cpuNanosExact() {
            return cpuNanosExact;
        }

        /** Time spent runnable but waiting for a CPU (second field of schedstat), or -1 when unknown. */
        public long runQueueWaitNanos() {
            return runQueueWaitNanos;
        }

        /** voluntary_ctxt_switches of status: the thread blocked or slept. */
        public long voluntarySwitches() {
            return voluntarySwitches;
        }

        /** nonvoluntary_ctxt_switches of status: the scheduler took the CPU away from a runnable thread. */
        public long involuntarySwitches() {
            return involuntarySwitches;
        }

        /** se.nr_migrations of sched: moves to another CPU so far; -1 when the kernel has no sched file. */
        public long migrations() {
            return migrations;
        }
    }

    /** One thread's counters, or null when it exited while we looked. */
    public ThreadCounters threadCounters(long pid, int tid) {
        try {
            Path dir = taskDir(pid, tid);
            String status = read(dir.resolve("status"));
            String stat = read(dir.resolve("stat"));
            ThreadInfo info = new ThreadInfo(tid, statusField(status, "Name"), parseAllowed(status, dir.resolve("status")),
                    parseLastCpu(stat));
            String schedstat = readIfPresent(dir.resolve("schedstat"));
            long cpuNanos;
            long waitNanos = -1;
            boolean exact = false;
            long[] ss = schedstat == null ? null : parseSchedstat(schedstat);
            if (ss != null) {
                cpuNanos = ss[0];
                waitNanos = ss[1];
                exact = true;
            } else {
                cpuNanos = parseCpuTicks(stat) * TICK_NANOS;
            }
            String sched = readIfPresent(dir.resolve("sched"));
            long migrations = sched == null ? -1 : schedCounter(sched, "se.nr_migrations");
            return new ThreadCounters(info, cpuNanos, exact, waitNanos, counter(status, "voluntary_ctxt_switches"),
                    counter(status, "nonvoluntary_ctxt_switches"), migrations);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The counters of every thread of the process that is still there. */
    public List<ThreadCounters> threadCounters(long pid) throws IOException {
        List<ThreadCounters> out = new ArrayList<>();
        for (int tid : threadIds(pid)) {
            ThreadCounters c = threadCounters(pid, tid);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    /** USER_HZ, the unit of stat's utime and stime: 100 on every architecture the agent runs on. */
    static final long TICK_NANOS = 10_000_000L;

    /** utime + stime (fields 14 and 15 of stat), in clock ticks. */
    static long parseCpuTicks(String stat) throws IOException {
        String[] fields = fieldsAfterName(stat);
        if (fields.length <= 15 - 3) {
            throw new IOException("stat has " + (fields.length + 2) + " fields, expected at least 15");
        }
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    /** schedstat: "RUN_NANOS WAIT_NANOS TIMESLICES"; null when it is not that. */
    static long[] parseSchedstat(String schedstat) {
        String[] f = schedstat.trim().split(" ");
        if (f.length < 2) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "se.nr_migrations    :    12" of sched; -1 when the line is missing. */
    static long schedCounter(String sched, String name) {
        for (String line : sched.split("\n")) {
            if (line.startsWith(name)) {
                int colon = line.indexOf(':', name.length());
                if (colon > 0 && line.substring(name.length(), colon).trim().isEmpty()) {
                    try {
                        return Long.parseLong(line.substring(colon + 1).trim());
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }
            }
        }
        return -1;
    }

    private static long counter(String status, String field) {
        String v = statusField(status, field);
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether a process with this id exists (as far as this user may see). */
    public boolean processExists(long pid) {
        return pid > 0 && Files.isDirectory(root.resolve(Long.toString(pid)));
    }

    /** The process's name (comm: at most 15 bytes of its executable or main thread name). */
    public String processName(long pid) throws IOException {
        return read(root.resolve(Long.toString(pid)).resolve("comm")).trim();
    }

    /** The effective user and group of a process: the owner of its /proc directory. */
    public ProcessOwner owner(long pid) throws IOException {
        return ownerOf(root.resolve(Long.toString(pid)));
    }

    /** The effective user and group of this process. */
    public ProcessOwner selfOwner() throws IOException {
        return ownerOf(root.resolve("self"));
    }

    private static ProcessOwner ownerOf(Path dir) throws IOException {
        try {
            int uid = (Integer) Files.getAttribute(dir, "unix:uid");
            int gid = (Integer) Files.getAttribute(dir, "unix:gid");
            String user = Files.getOwner(dir).getName();
            return new ProcessOwner(uid, gid, user);
        } catch (UnsupportedOperationException | ClassCastException e) {
            throw new IOException("cannot read the owner of " + dir + ": " + e, e);
        }
    }

    /** Who a process runs as: effective uid, gid and the user's name (the uid when it has none). */
    public static final class ProcessOwner {
        private final int uid;
        private final int gid;
        private final String user;

        public ProcessOwner(int uid, int gid, String user) {
            this.uid = uid;
            this.gid = gid;
            this.user = user;
        }

        public int uid() {
            return uid;
        }

        public int gid() {
            return gid;
        }

        public String user() {
            return user;
        }

        public boolean isRoot() {
            return uid == 0;
        }
    }

    /**
     * The file names (last path element) of what the process has mapped: its executable, the
     * shared libraries (libjvm.so for a HotSpot JVM). Needs the same access as attaching does.
     */
    public java.util.Set<String> mappedFileNames(long pid) throws IOException {
        java.util.Set<String> names = new java.util.HashSet<>();
        Path maps = root.resolve(Long.toString(pid)).resolve("maps");
        try (java.io.BufferedReader r = Files.newBufferedReader(maps, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                int slash = line.indexOf('/');
                if (slash > 0) {
                    String path = line.substring(slash);
                    if (path.endsWith(" (deleted)")) {
                        path = path.substring(0, path.length() - " (deleted)".length());
                    }
                    names.add(path.substring(path.lastIndexOf('/') + 1));
                }
            }
        }
        return names;
    }

    /**
     * The process's id inside its own pid namespace (the last NSpid of its status; the same id
     * when it shares ours): the id a JVM in a container knows itself by.
     */
    public long namespacePid(long pid) throws IOException {
        String nspid = statusField(read(root.resolve(Long.toString(pid)).resolve("status")), "NSpid");
        if (nspid == null || nspid.isEmpty()) {
            return pid; // a kernel before 4.1: no namespaces to account for
        }
        String last = nspid.trim();
        int gap = Math.max(last.lastIndexOf('\t'), last.lastIndexOf(' '));
        return Long.parseLong(last.substring(gap + 1));
    }

    /** Whether the process has a handler installed for the signal (SigCgt of its status). */
    public boolean catchesSignal(long pid, int signal) throws IOException {
        String caught = statusField(read(root.resolve(Long.toString(pid)).resolve("status")), "SigCgt");
        if (caught == null || signal < 1 || signal > 64) {
            return false;
        }
        return (Long.parseUnsignedLong(caught, 16) & (1L << (signal - 1))) != 0;
    }

    /** The process's command line, one element per argument. */
    public List<String> commandLine(long pid) throws IOException {
        return nulSeparated(root.resolve(Long.toString(pid)).resolve("cmdline"));
    }

    /** One variable of the process's environment at its start, or null (needs the same user). */
    public String environmentVariable(long pid, String name) throws IOException {
        String prefix = name + "=";
        for (String entry : nulSeparated(root.resolve(Long.toString(pid)).resolve("environ"))) {
            if (entry.startsWith(prefix)) {
                return entry.substring(prefix.length());
            }
        }
        return null;
    }

    private static List<String> nulSeparated(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\0') {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    /** A path as the process sees it: through /proc/PID/root, its own root directory. */
    public Path inRootOf(long pid, Path absolute) {
        Path r = root.resolve(Long.toString(pid)).resolve("root");
        return r.resolve(absolute.toString().substring(1));
    }

    /** The process's working directory, through /proc/PID/cwd (a container's files are not ours). */
    public Path workingDirectoryOf(long pid) {
        return root.resolve(Long.toString(pid)).resolve("cwd");
    }

    /** This process's id, from the /proc/self link (ProcessHandle.current() starts a JDK thread pool). */
    public long selfPid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(root.resolve("self")).getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The calling thread's time on a CPU so far, in ns (its schedstat), or -1 where the kernel does not say. */
    public long currentThreadCpuNanos() {
        try {
            String schedstat = readIfPresent(root.resolve("thread-self").resolve("schedstat"));
            long[] ss = schedstat == null ? null : parseSchedstat(schedstat);
            return ss == null ? -1 : ss[0];
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The calling thread's native id, from the /proc/thread-self link ("PID/task/TID"). */
    public int currentThreadId() {
        try {
            Path link = Files.readSymbolicLink(root.resolve("thread-self"));
            return Integer.parseInt(link.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private Path taskDir(long pid, int tid) {
        return root.resolve(Long.toString(pid)).resolve("task").resolve(Integer.toString(tid));
    }

    private CpuSet allowedCpus(Path status) throws IOException {
        return parseAllowed(read(status), status);
    }

    private static CpuSet parseAllowed(String status, Path file) throws IOException {
        String list = statusField(status, "Cpus_allowed_list");
        if (list == null) {
            throw new IOException(file + " has no Cpus_allowed_list line");
        }
        try {
            return CpuList.parse(list).resolve(io.affinityagent.config.CpuContext.of(CpuSet.empty()));
        } catch (CpuListException e) {
            throw new IOException(file + ": cannot read Cpus_allowed_list '" + list + "': " + e.getMessage(), e);
        }
    }

    static String statusField(String status, String field) {
        String prefix = field + ":";
        for (String line : status.split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    /** The calling thread's nice value (field 19 of its stat), from the kernel; {@code Integer.MIN_VALUE} when unknown. */
    public int currentThreadNice() {
        try {
            String[] fields = fieldsAfterName(read(root.resolve("thread-self").resolve("stat")));
            return Integer.parseInt(fields[19 - 3]); // fields[0] is field 3
        } catch (IOException | RuntimeException e) {
            return Integer.MIN_VALUE;
        }
    }

    /** Field 39 of stat; the name (field 2) may hold spaces and parentheses, so count from its end. */
    static int parseLastCpu(String stat) throws IOException {
        String[] fields = fieldsAfterName(stat);
        int index = 39 - 3; // fields[0] is field 3 (state)
        if (fields.length <= index) {
            throw new IOException("stat has " + (fields.length + 2) + " fields, expected at least 39");
        }
        return Integer.parseInt(fields[index]);
    }

    /** The fields of stat after the name (field 2), which may hold spaces and parentheses: fields[0] is field 3. */
    private static String[] fieldsAfterName(String stat) throws IOException {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IOException("unexpected stat line: " + stat);
        }
        return stat.substring(close + 1).trim().split(" ");
    }

    /** A small file, or null when the kernel does not provide it. */
    private static String readIfPresent(Path p) throws IOException {
        if (!p.toFile().exists()) {
            return null;
        }
        try {
            return read(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * A whole small file. With java.io rather than Files.readAllBytes: the agent reads
     * /proc/self/status in premain, and java.nio's file channels are about thirty classes that
     * a JVM's start-up does not otherwise load (java.io's come from the CDS archive).
     */
    private static String read(Path p) throws IOException {
        try (FileInputStream in = new FileInputStream(p.toFile())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (FileNotFoundException e) {
            if (!p.toFile().exists()) {
                throw new NoSuchFileException(p.toString()); // what callers tell apart: the process is gone
            }
            throw e;
        }
    }
}
