package io.affinityagent.cli;

import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.RuleCounts;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code detach PID}: the agent stops pinning new workers and gives every worker it pinned the
 * process's CPUs back. Sent as a request the running agent reads, so nothing is loaded into the
 * JVM; a JVM without the agent is left alone.
 */
@Command(name = "detach",
        description = {"Stop pinning, and give every worker the agent pinned the process's CPUs back.",
                "Loads nothing into the JVM (a request file the running agent reads), so JDK 21+ prints no warning."},
        mixinStandardHelpOptions = true)
final class DetachCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PID", description = "The JVM's process id.")
    long pid;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws CliException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TargetProcess target = TargetProcess.vetForAttach(ProcFs.system(), pid);
        try (JvmConnection jvm = JvmConnection.open(target)) {
            AgentState before = AgentState.of(jvm.agentProperties());
            if (before.state() == AgentState.State.ABSENT) {
                out.println("JVM " + pid + " has no affinity-agent running; nothing to detach");
                return 0;
            }
            if (before.state() == AgentState.State.DETACHED) {
                out.println("the agent in JVM " + pid + " is detached already; nothing to do");
                return 0;
            }
            AttachCommand.warnIfOtherVersion(err, before);
            List<String> notes = new ArrayList<>();
            AgentRequests.Answer answer = AgentRequests.send(jvm, target, before, AffinityAgentCli.agentJar().toString(),
                    "detach", notes);
            for (String note : notes) {
                AffinityAgentCli.warn(err, "note: " + note);
            }
            for (String message : answer.messages()) {
                AffinityAgentCli.warn(err, message);
            }
            if (answer.isError()) {
                throw new CliException("the agent in JVM " + pid + " could not detach");
            }
            out.println("detached from JVM " + pid + ": gave " + RuleCounts.released(answer.byRule())
                    + " the process's CPUs (" + target.allowedCpus() + ") back in " + answer.millis()
                    + " ms; new threads are left alone");
        }
        return 0;
    }
}
