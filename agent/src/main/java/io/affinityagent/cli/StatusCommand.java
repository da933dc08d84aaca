package io.affinityagent.cli;

import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code status PID}: every thread of the JVM, where it may run and where it last ran, from
 * /proc (true with or without the agent); the rule that pinned it from what the agent
 * publishes, read without loading anything into the JVM.
 */
@Command(name = "status",
        description = {"Show where a JVM's threads may run and last ran, and which rule pinned them.",
                "Every thread with its native id, the rule that pinned it (- for none), the CPUs it may run on and the"
                        + " CPU it last ran on, read from /proc; rules come from the agent when it is loaded.",
                "Reads the agent's published status through the attach API: nothing is loaded into the JVM.",
                "Names, kinds and pools come from one thread dump (Thread.print, as jstack takes it: a safepoint of"
                        + " a few milliseconds in the JVM), so every thread shows its full Java name (and the kernel's"
                        + " 15-character name where that differs), its KIND (thread-pool, fork-join, common-pool: pool"
                        + " workers; thread: a plain thread, which any-thread rules match by name; thread*: a class"
                        + " overriding run(); main; jvm: the JVM's own) and its POOL (the pool's class, or the class"
                        + " whose code a plain thread runs). --no-thread-dump skips it: kernel names then.",
                "LAST is where a thread last ran: for one that has not run since it was pinned, that was before.",
                "With --watch: a live view, one line per pool (threads whose names differ only in their trailing"
                        + " number), refreshed every second until interrupted: CPU used, time waiting for a CPU,"
                        + " involuntary context switches and migrations a second, from /proc. Redrawn in place on a"
                        + " terminal, printed one frame after the other otherwise."},
        mixinStandardHelpOptions = true)
final class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PID", description = "The JVM's process id.")
    long pid;

    @Option(names = "--json", description = "Print JSON, for scripts (with --watch: one line per refresh).")
    boolean json;

    @Option(names = "--no-thread-dump", description = "Take no thread dump: no safepoint in the JVM, and names are the"
            + " kernel's (15 characters) except for threads the agent pinned.")
    boolean noThreadDump;

    @Option(names = "--watch", description = "Refresh every second (or --interval) until interrupted, one line per pool.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "With --watch: seconds between refreshes"
            + " (default 1).")
    Double interval;

    @Option(names = "--count", paramLabel = "N", description = "With --watch: stop after N refreshes.")
    Integer count;

    @Option(names = "--threads", description = "With --watch: a line for each thread, under its pool.")
    boolean threads;

    @Option(names = "--all", description = "With --watch: idle pools no rule matched on lines of their own too.")
    boolean all;

    @Option(names = "--plain", description = "With --watch: print each refresh below the last, also on a terminal.")
    boolean plain;

    @Spec
    CommandSpec spec;

    static String namesNote(ThreadStackDump dump, long millis) {
        return "Names, kinds and pools from a thread dump of " + dump.entries().size() + " threads (a safepoint in the"
                + " JVM; the request took " + millis + " ms). KIND thread: any-thread rules match it by name;"
                + " thread*: its class overrides run() (any-thread rules match it too); jvm, main: no rule pins it;"
                + " ?: not in the dump (the launcher's own thread, or one started since).";
    }

    /** Who holds each CPU of the agent's lock folder, read here (the folder is on this host). */
    private String hostLocks(AgentState agent) {
        java.nio.file.Path dir = java.nio.file.Paths.get(agent.hostLockDirectory());
        String held = agent.hostLocksHeld();
        io.affinityagent.cpu.CpuSet heldSet = io.affinityagent.cpu.CpuSet.empty();
        try {
            if (held != null && !held.equals("none")) {
                heldSet = io.affinityagent.config.CpuList.parse(held).resolve(io.affinityagent.config.CpuContext.of(heldSet));
            }
        } catch (RuntimeException | io.affinityagent.config.CpuListException e) {
            // shown as none
        }
        try {
            return HostLocksReport.text(dir, heldSet, pid, io.affinityagent.hostlock.HostLockTable.read(dir));
        } catch (IOException e) {
            return "host-wide CPU locks in " + dir + ": this JVM holds " + held + "; cannot read the folder: "
                    + e.getMessage() + "\n";
        }
    }

    @Override
    public Integer call() throws CliException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!watch && (interval != null || count != null || threads || all || plain)) {
            throw new ParameterException(spec.commandLine(), "--interval, --count, --threads, --all and --plain go"
                    + " with --watch");
        }
        if (interval != null && !(interval >= 0.1 && interval <= 3600)) {
            throw new ParameterException(spec.commandLine(), "--interval: " + interval + " seconds; give 0.1 to 3600");
        }
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count: " + count + "; give 1 or more");
        }
        ProcFs procFs = ProcFs.system();
        TargetProcess target = TargetProcess.findHotSpot(procFs, pid);
        if (watch) {
            long nanos = (long) ((interval == null ? 1.0 : interval) * 1e9);
            return new StatusWatch(procFs, target, out, err, nanos, count == null ? 0 : count, json,
                    !json && !plain && StatusWatch.stdoutIsTerminal(), threads, all).run();
        }

        AgentState agent = null;
        String problem = null;
        String jvm = null;
        ThreadStackDump dump = null;
        String namesNote = noThreadDump ? "Names are the kernel's (15 characters) but for threads the agent pinned"
                + " (--no-thread-dump)." : null;
        try {
            target.requireAttachable();
            try (JvmConnection connection = JvmConnection.open(target)) {
                agent = AgentState.of(connection.agentProperties());
                Properties system = connection.systemProperties();
                jvm = system.getProperty("java.vm.name", "Java") + " " + system.getProperty("java.runtime.version",
                        system.getProperty("java.version", "?"));
                if (!noThreadDump) {
                    try {
                        long start = System.nanoTime();
                        dump = ThreadStackDump.parse(connection.threadDump());
                        namesNote = namesNote(dump, (System.nanoTime() - start) / 1_000_000);
                    } catch (CliException e) {
                        namesNote = "Names are the kernel's (15 characters): no thread dump (" + e.getMessage() + ").";
                        AffinityAgentCli.warn(err, "warning: no thread dump: " + e.getMessage());
                    }
                }
            }
        } catch (CliException e) {
            // /proc still tells where every thread runs: show that, and say what is missing.
            problem = e.getMessage();
            AffinityAgentCli.warn(err, "warning: " + problem + "; rules are unknown (shown as ?)");
        }
        List<ProcFs.ThreadInfo> threads;
        try {
            threads = procFs.threads(pid);
        } catch (IOException e) {
            throw new CliException("cannot read the threads of process " + pid + ": " + e.getMessage());
        }
        if (threads.isEmpty()) {
            throw new CliException("JVM " + pid + " exited");
        }
        StatusReport report = new StatusReport(pid, target.name(), jvm, target.allowedCpus().toString(), agent, problem,
                StatusReport.rows(threads, agent, dump), namesNote);
        if (agent != null && agent.hostLockDirectory() != null) {
            report.withHostLocks(hostLocks(agent));
        }
        out.print(json ? report.json() : report.text());
        out.flush();
        return 0;
    }
}
