package io.affinityagent.cli;

import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.ConfigProblem;
import io.affinityagent.config.CpuContext;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.Reply;
import io.affinityagent.registry.RuleCounts;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code attach PID --config FILE}: load the agent into a running JVM, or give the agent that
 * runs there a new config. Either way the pool workers already running are pinned at once, and
 * the command returns when they are (read /proc right after: the masks are there).
 */
@Command(name = "attach",
        description = {"Pin a running JVM's pool workers as a config says (load the agent, or give it a new config).",
                "Pool workers that run already, idle ones included, are pinned at once; new ones as they start."
                        + " Attaching again with another config replaces the rules and re-pins the running threads.",
                "On JDK 21+ loading an agent makes the JVM print a warning on its stderr, unless it runs with"
                        + " -XX:+EnableDynamicAgentLoading; a JVM whose agent runs already is given the config without"
                        + " loading anything."},
        mixinStandardHelpOptions = true)
final class AttachCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PID", description = "The JVM's process id.")
    long pid;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The config file.")
    Path config;

    @Option(names = "--log", paramLabel = "LEVEL",
            description = "The agent's log level in the JVM: quiet, info or debug (default: the config's, else info).")
    String log;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws CliException {
        return attach(pid, config, log, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** The command itself, also reached without picocli (see {@link AttachFastPath}); returns the exit status. */
    static int attach(long pid, Path config, String log, PrintWriter out, PrintWriter err) throws CliException {
        ProcFs procFs = ProcFs.system();
        Path file = config.toAbsolutePath().normalize();
        if (file.toString().contains(",")) {
            throw new CliException("the config's path " + file + " holds a ',', which separates the agent's arguments;"
                    + " move or link the file to a path without one");
        }
        if (log != null && !log.equals("quiet") && !log.equals("info") && !log.equals("debug")) {
            throw new CliException("--log " + log + ": expected quiet, info or debug");
        }
        TargetProcess target = TargetProcess.vetForAttach(procFs, pid);

        // Check the config here first, on the JVM's CPUs: a bad one is reported before anything is sent.
        CpuSet targetCpus = target.allowedCpus();
        ConfigLoader.Result result = ConfigLoader.load(file, CpuContext.of(targetCpus), ConfigLoader.Overrides.NONE);
        if (!result.problems().isEmpty()) { // sorting spins up the lambda machinery: not for a clean config
            for (ConfigProblem p : result.inFileOrder()) {
                err.println(CheckCommand.lintLine(p));
            }
        }
        if (!result.ok()) {
            throw new CliException("the config has " + CheckCommand.count(result.errors().size(), "error") + "; JVM " + pid
                    + " was left as it was");
        }
        Path jar = AffinityAgentCli.agentJar();
        requireVisible(target, jar, "the agent jar");
        requireVisible(target, file, "the config");

        String arguments = "config=" + file + (log != null ? ",log=" + log : "");
        List<String> notes = new ArrayList<>();
        try (JvmConnection jvm = JvmConnection.open(target)) {
            // A JVM that never loaded a Java agent has none of ours: its agent properties are not read
            // before the load, which spares it their first serialization (it formats a date: time zone
            // and locale data, tens of ms) before the workers are pinned. Read after, it costs the same.
            AgentState before = target.mayRunAnAgent() ? AgentState.of(jvm.agentProperties()) : AgentState.none();
            warnIfOtherVersion(err, before);
            AgentRequests.Answer answer = AgentRequests.send(jvm, target, before, jar.toString(), arguments, notes);
            for (String note : notes) {
                AffinityAgentCli.warn(err, "note: " + note);
            }
            for (String message : answer.messages()) {
                AffinityAgentCli.warn(err, message);
            }
            if (answer.isError()) {
                throw new CliException(before.state() == AgentState.State.ACTIVE
                        ? "JVM " + pid + " kept its current config (" + before.config() + ")"
                        : before.state() == AgentState.State.DETACHED ? "the agent in JVM " + pid + " stays detached"
                        : "the agent refused to start in JVM " + pid + "; nothing is pinned");
            }
            boolean firstTime = before.state() != AgentState.State.ACTIVE;
            Properties system = jvm.systemProperties();
            out.print(summary(pid, answer, firstTime, system, targetCpus));
            out.flush();
            if (answer.loaded()) {
                warnAboutJdkWarning(target, err, before, system);
            }
        }
        return 0;
    }

    private static String summary(long pid, AgentRequests.Answer answer, boolean firstTime, Properties system, CpuSet targetCpus) {
        StringBuilder sb = new StringBuilder();
        AgentState after = answer.after();
        sb.append(firstTime ? "attached to JVM " : "new config for JVM ").append(pid).append(" (Java ")
                .append(system.getProperty("java.version", "?")).append("): ").append(after.config()).append('\n');
        TextTable rules = new TextTable("RULE", "CPUS", "STRATEGY", "WORKERS", "LOADS");
        for (AgentState.RuleStatus r : after.rules()) {
            rules.add(r.name, r.field("cpus"), r.field("strategy"), Integer.toString(r.workers()), r.field("loads"));
        }
        sb.append(rules.render("  "));
        int kept = answer.count(Reply.KEPT);
        int released = answer.count(Reply.RELEASED);
        sb.append(RuleCounts.pinned(firstTime ? "pinned" : "re-pinned", answer.byRule()));
        if (kept > 0) {
            sb.append(" (").append(kept).append(" already in place)");
        }
        if (released > 0) {
            sb.append(", gave ").append(RuleCounts.released(answer.byRule())).append(" the process's CPUs (")
                    .append(targetCpus).append(") back");
        }
        sb.append(" in ").append(answer.millis()).append(" ms; new threads the rules match are pinned as they start\n");
        return sb.toString();
    }

    /** The JVM must see the file at the same path: a JVM in a container has its own files. */
    private static void requireVisible(TargetProcess target, Path file, String what) throws CliException {
        if (!Files.isReadable(file)) {
            throw new CliException(what + " " + file + " cannot be read");
        }
        if (!Files.isReadable(target.asSeenByTarget(file))) {
            throw new CliException("JVM " + target.pid() + " cannot see " + what + " at " + file + " (does it run in a"
                    + " container?); put it at the same path inside, or run this command there");
        }
    }

    static void warnIfOtherVersion(PrintWriter err, AgentState before) {
        String mine = AffinityAgentCli.version();
        if (before.state() != AgentState.State.ABSENT && before.version() != null && !before.version().equals(mine)) {
            AffinityAgentCli.warn(err, "warning: the agent in this JVM is version " + before.version()
                    + " and this command line " + mine + "; the running agent handles the command");
        }
    }

    private static void warnAboutJdkWarning(TargetProcess target, PrintWriter err, AgentState before, Properties system) {
        int feature = featureVersion(system.getProperty("java.specification.version", "0"));
        if (feature >= 21 && !"+".equals(AgentRequests.dynamicAgentLoading(before, target))) {
            AffinityAgentCli.warn(err, "note: Java " + feature + " printed its warning about a dynamically loaded agent"
                    + " on JVM " + target.pid() + "'s stderr (start JVMs with -XX:+EnableDynamicAgentLoading to avoid it); later"
                    + " attach, status and detach commands load nothing");
        }
    }

    private static int featureVersion(String spec) {
        try {
            return Integer.parseInt(spec.startsWith("1.") ? spec.substring(2) : spec);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
