package io.affinityagent.cli;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.ConfigProblem;
import io.affinityagent.config.CpuContext;
import io.affinityagent.config.CpuList;
import io.affinityagent.config.CpuListException;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.jdk.JdkInternals;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.MachineCpuContext;
import io.affinityagent.os.ProcFs;
import io.affinityagent.placement.PlanExplanation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code check FILE}: a linter for configs, and the plan they give on this machine's CPUs. */
@Command(name = "check",
        description = {"Validate a config and print the plan it gives on this machine's CPUs.",
                "Every problem is reported with file, line and key, like a linter; the plan shows what each rule"
                        + " gets after dropping the CPUs this machine does not have, then worker by worker where the"
                        + " first workers of each rule go.",
                "If the config names a topology file, the plan is for the whole machine that file describes, so a"
                        + " config for a 2-socket server can be checked anywhere.",
                "With --pid, also lints the config against that running JVM's threads without changing anything: for each"
                        + " rule the threads it would take (first matching rule wins), and for a rule that takes none"
                        + " the nearest real thread names, what each is, and the likely fix. That takes one thread dump"
                        + " (Thread.print: a safepoint of a few milliseconds in the JVM).",
                "Exit status 0 when the config is valid (warnings allowed), 1 when it has errors."},
        mixinStandardHelpOptions = true)
final class CheckCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The config file (Java properties).")
    Path file;

    @Option(names = "--jdk",
            description = "List the JDK internals the agent relies on and whether this Java runtime has each (run it"
                    + " with the java of the JVM to be pinned).")
    boolean jdk;

    @Option(names = "--cpus", paramLabel = "LIST",
            description = "Plan for these CPUs (kernel list syntax, e.g. 0-15) instead of the ones this process may use:"
                    + " check a config for another machine.")
    String cpus;

    @Option(names = "--workers", paramLabel = "N",
            description = "Workers to show per rule in the worker-by-worker plan (default: one full round, every CPU"
                    + " of the rule once, or every core for per-core).")
    int workers;

    @Option(names = "--pid", paramLabel = "PID",
            description = "Lint the config against this running JVM's threads (and plan for its CPUs unless --cpus is"
                    + " given); nothing in the JVM changes.")
    Long pid;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws CliException {
        PrintWriter out = spec.commandLine().getOut();
        if (jdk) {
            int missing = printJdkInternals(out);
            if (file == null) {
                out.flush();
                return missing == 0 ? 0 : AffinityAgentCli.FAILED;
            }
            out.println();
        } else if (file == null) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'FILE'");
        }
        TargetProcess target = pid != null ? TargetProcess.findHotSpot(ProcFs.system(), pid) : null;
        if (target != null) {
            target.requireAttachable();
        }
        CpuSet available = cpus == null && target != null ? target.allowedCpus() : availableCpus();
        Path config = file.toAbsolutePath().normalize();
        // This machine's layout (sysfs) unless the CPUs were given by hand; a topology file in the
        // config wins either way, and then the plan is for the machine it describes.
        CpuContext context = cpus != null ? CpuContext.of(available) : new MachineCpuContext(available);
        ConfigLoader.Result result = ConfigLoader.load(config, context, ConfigLoader.Overrides.NONE,
                ConfigLoader.Target.TOPOLOGY_FILE);
        int errors = 0;
        int warnings = 0;
        for (ConfigProblem p : result.inFileOrder()) {
            out.println(lintLine(p));
            if (p.isError()) {
                errors++;
            } else {
                warnings++;
            }
        }
        String where = cpus != null ? "CPUs " + available + " (--cpus)" : target != null ? "CPUs " + available + " (JVM "
                + pid + ")" : "CPUs " + available + " (this machine)";
        if (result.ok() && result.config().topology().fromHardware()
                && !result.config().topology().source().startsWith("/sys")) {
            where = "CPUs " + result.config().topology().cpus() + " (the machine " + result.config().topology().source()
                    + " describes)";
        }
        if (!result.ok()) {
            out.println(config + ": " + count(errors, "error") + (warnings > 0 ? ", " + count(warnings, "warning") : "")
                    + "; not a valid config");
            int aboutThisMachine = 0;
            for (ConfigProblem p : result.problems()) {
                if (p.aboutThisMachine()) {
                    aboutThisMachine++;
                }
            }
            if (aboutThisMachine > 0) {
                out.println((aboutThisMachine == errors ? "Every error" : count(aboutThisMachine, "error") + " of them")
                        + " is about CPUs, sockets or nodes missing from " + where + ". To check a config for the machine it"
                        + " is meant for, give that machine's CPUs (--cpus 0-63) or, for socket:, node:, spread, compact"
                        + " and per-core, describe it in a topology file (topology = FILE in the config; on that machine"
                        + " 'lscpu -p=cpu,core,socket,node > FILE' writes one).");
            }
            return AffinityAgentCli.FAILED;
        }
        out.println(config + ": valid, " + count(result.config().rules().size(), "rule")
                + (warnings > 0 ? ", " + count(warnings, "warning") : "") + "; the plan on " + where + ":");
        out.println();
        // The table and the worker lines from one explanation, for the same workers.
        PlanExplanation plan = new PlanExplanation(result.config(), workers);
        out.print(PlanPrinter.print(plan));
        out.println();
        out.println("Worker by worker, as they start, rule after rule in this order (none exiting):");
        for (String line : plan.lines()) {
            out.println("  " + line);
        }
        out.println();
        out.println(backendHere());
        if (target != null) {
            out.println();
            lintAgainst(target, result.config(), out);
        }
        out.flush();
        return 0;
    }

    /** Each rule against the JVM's real threads, from one thread dump; changes nothing in the JVM. */
    private void lintAgainst(TargetProcess target, io.affinityagent.config.AgentConfig config, PrintWriter out)
            throws CliException {
        ThreadStackDump dump;
        long start = System.nanoTime();
        try (JvmConnection connection = JvmConnection.open(target)) {
            dump = ThreadStackDump.parse(connection.threadDump());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        java.util.List<io.affinityagent.advice.SeenThread> threads = dump.seenThreads();
        out.println("Against the " + threads.size() + " threads of JVM " + target.pid() + " (one thread dump, a"
                + " safepoint in the JVM; the request took " + millis + " ms; nothing was changed):");
        int unmatched = 0;
        for (io.affinityagent.advice.RuleAdvisor.RuleReport report
                : io.affinityagent.advice.RuleAdvisor.advise(config.rules(), threads)) {
            for (String line : report.explain()) {
                out.println("  " + line);
            }
            if (report.matched().isEmpty()) {
                unmatched++;
            }
        }
        if (unmatched > 0) {
            out.println(count(unmatched, "rule") + " would pin nothing in JVM " + target.pid() + " now (threads that"
                    + " start later may still match).");
        }
    }

    /** One line per internal: present, missing, or not on this JDK (optional); returns how many are missing. */
    private static int printJdkInternals(PrintWriter out) {
        List<JdkInternals.Internal> internals = JdkInternals.ofThisJdk();
        out.println("JDK internals the agent relies on, on Java " + JdkInternals.summary(internals) + ":");
        TextTable table = new TextTable("INTERNAL", "HERE", "USED FOR");
        int missing = 0;
        for (JdkInternals.Internal i : internals) {
            table.add(i.name(), i.present() ? "yes" : i.optional() ? "no (" + i.whenAbsent() + ")" : "MISSING", i.usedFor());
            missing += i.missing() ? 1 : 0;
        }
        out.print(table.render("  "));
        return missing;
    }

    /** Which backend would pin a JVM like this one on this machine, found by loading it. */
    private static String backendHere() {
        CpuAffinity here = CpuAffinities.load(NativeCalls.class);
        String arch = System.getProperty("os.arch");
        if (!here.isSupported()) {
            return "Pinning on this machine (" + arch + "): none, " + here.unsupportedReason();
        }
        return "Pinning on this machine (" + arch + "): through " + here.backendName()
                + (here.backendNote() != null ? " (" + here.backendNote() + ")" : "");
    }

    private CpuSet availableCpus() throws CliException {
        if (cpus != null) {
            try {
                CpuSet set = CpuList.parse(cpus).resolve(CpuContext.of(CpuSet.empty()));
                if (set.isEmpty()) {
                    throw new CliException("--cpus " + cpus + " names no CPU");
                }
                return set;
            } catch (CpuListException e) {
                throw new CliException("--cpus " + cpus + ": " + e.getMessage());
            }
        }
        try {
            return ProcFs.system().selfAllowedCpus();
        } catch (IOException e) {
            throw new CliException("cannot read the CPUs this process may use (" + e.getMessage() + "); give them with"
                    + " --cpus LIST");
        }
    }

    /** {@code FILE:LINE: error: KEY: MESSAGE}, the shape compilers and editors know. */
    static String lintLine(ConfigProblem p) {
        StringBuilder sb = new StringBuilder();
        sb.append(p.file());
        if (p.line() > 0) {
            sb.append(':').append(p.line());
        }
        sb.append(": ").append(p.isError() ? "error" : "warning").append(": ");
        if (p.key() != null) {
            sb.append(p.key()).append(": ");
        }
        return sb.append(p.message()).toString();
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
