package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Checks shared by the integration tests. */
public final class TargetAssertions {

    private TargetAssertions() {
    }

    /**
     * Nothing but the application's own lines on stdout, and on stderr only the agent's
     * prefixed lines: no SLF4J noise, no JDK warning, no stack trace.
     */
    public static void quietApartFromTheAgent(TargetJvm jvm) {
        assertThat(jvm.stdout()).as("stdout of %s", jvm.pid())
                .allMatch(l -> l.startsWith("READY ") || l.startsWith("OK ") || l.startsWith("WORKER ")
                        || l.startsWith("CARRIER ") || l.startsWith("CLASH "), "is the application's own line");
        assertThat(jvm.stderr()).as("stderr of %s", jvm.pid()).allMatch(l -> l.startsWith("[affinity-agent] "),
                "is an [affinity-agent] line");
    }

    /** The first line of the JDK's warning (JDK 21+) each time an agent is loaded into a running JVM. */
    public static final String DYNAMIC_AGENT_WARNING = "WARNING: A Java agent has been loaded dynamically";

    /** How many times the JVM printed the JDK's dynamic-agent warning. */
    public static long dynamicAgentWarnings(TargetJvm jvm) {
        return jvm.stderr().stream().filter(l -> l.startsWith(DYNAMIC_AGENT_WARNING)).count();
    }

    /**
     * Like {@link #quietApartFromTheAgent}, for a JVM the agent was attached to: the JDK's own
     * warning lines about it (JDK 21+) are allowed too, and nothing else.
     */
    public static void quietApartFromTheAgentAndTheJdkWarning(TargetJvm jvm) {
        assertThat(jvm.stdout()).as("stdout of %s", jvm.pid())
                .allMatch(l -> l.startsWith("READY ") || l.startsWith("OK ") || l.startsWith("WORKER "),
                        "is the application's own line");
        assertThat(jvm.stderr()).as("stderr of %s", jvm.pid())
                .allMatch(l -> l.startsWith("[affinity-agent] ") || l.startsWith("WARNING: "), "is an agent or JDK line");
    }

    /** No agent line reports an error or a warning. */
    public static void noAgentProblems(TargetJvm jvm) {
        assertThat(jvm.agentLines()).as("agent lines of %s", jvm.pid())
                .noneMatch(l -> l.startsWith("error:") || l.startsWith("warning:"));
    }

    /** How many workers sit on each mask, as /proc says now. */
    public static Map<String, Integer> countByMask(List<Worker> workers) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Worker w : workers) {
            counts.merge(w.allowedCpus().toString(), 1, Integer::sum);
        }
        return counts;
    }

    public static CpuSet processCpus(TargetJvm jvm) {
        try {
            return io.affinityagent.os.ProcFs.system().processAllowedCpus(jvm.pid());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
