package io.affinityagent.cli;

import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.time.LocalTime;
import java.util.concurrent.TimeUnit;

/**
 * {@code status --watch}: samples /proc every interval and prints what changed, pool by pool,
 * until interrupted or for a given number of refreshes. The agent's published status (rules,
 * full names of the threads it pinned) is read again at every refresh, through the attach API,
 * so an agent attached meanwhile shows up; without the agent, or when the JVM cannot be
 * attached to, every thread shows as unpinned.
 */
final class StatusWatch {

    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    private final ProcFs procFs;
    private final TargetProcess target;
    private final PrintWriter out;
    private final PrintWriter err;
    private final long intervalNanos;
    private final int count;
    private final boolean json;
    private final boolean redraw;
    private final boolean threads;
    private final boolean all;
    private String processCpus;

    /**
     * @param count   refreshes before returning; 0 for until interrupted
     * @param redraw  redraw the frame in place (a terminal) rather than print one after the other
     */
    StatusWatch(ProcFs procFs, TargetProcess target, PrintWriter out, PrintWriter err, long intervalNanos, int count,
                boolean json, boolean redraw, boolean threads, boolean all) {
        this.procFs = procFs;
        this.target = target;
        this.out = out;
        this.err = err;
        this.intervalNanos = intervalNanos;
        this.count = count;
        this.json = json;
        this.redraw = redraw;
        this.threads = threads;
        this.all = all;
    }

    /** Whether stdout is a terminal (JDK 22+ has a console object also when it is not: ask it). */
    static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17-21: a console means stdin and stdout are both terminals
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    int run() throws CliException {
        long pid = target.pid();
        processCpus = target.allowedCpus().toString();
        // The first sample before attaching, which can take a second or two on a busy machine:
        // the first interval starts as soon as possible.
        LiveSample previous = sample(pid);
        if (previous.isEmpty()) {
            throw new CliException("JVM " + pid + " exited");
        }
        JvmConnection connection = connect();
        try {
            long next = previous.nanoTime() + intervalNanos;
            boolean legendShown = false;
            for (int frame = 0; count == 0 || frame < count; frame++) {
                sleepUntil(next);
                LiveSample now = sample(pid);
                // From this sample on, not on a fixed grid: a refresh that came late (a busy machine, the
                // first attach) is not followed by a short one.
                next = now.nanoTime() + intervalNanos;
                if (now.isEmpty()) {
                    AffinityAgentCli.warn(err, "JVM " + pid + " exited");
                    return 0;
                }
                AgentState agent = agentState(connection);
                LiveRates.Frame rates = LiveRates.between(previous, now, agent);
                LocalTime time = LocalTime.now().withNano(0);
                if (json) {
                    out.print(LiveView.json(pid, agentDescription(agent), time, rates, threads));
                } else {
                    StringBuilder sb = new StringBuilder();
                    if (redraw) {
                        sb.append(CLEAR_SCREEN);
                    } else if (frame > 0) {
                        sb.append('\n');
                    }
                    sb.append(LiveView.text(header(agent), time, rates, threads, all));
                    if (redraw || !legendShown) {
                        sb.append(redraw ? "\n" : "").append(LiveView.legend(rates.sources));
                        legendShown = true;
                    }
                    out.print(sb);
                }
                out.flush();
                previous = now;
            }
            return 0;
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    private LiveSample sample(long pid) throws CliException {
        try {
            return LiveSample.read(procFs, pid);
        } catch (IOException e) {
            throw new CliException("cannot read the threads of process " + pid + ": " + e.getMessage());
        }
    }

    /** The attach connection, or null (said once) when the JVM cannot be asked: /proc still answers. */
    private JvmConnection connect() {
        try {
            target.requireAttachable();
            return JvmConnection.open(target);
        } catch (CliException e) {
            AffinityAgentCli.warn(err, "warning: " + e.getMessage() + "; rules and full names are unknown");
            return null;
        }
    }

    private AgentState agentState(JvmConnection connection) {
        if (connection == null) {
            return null;
        }
        try {
            return AgentState.of(connection.agentProperties());
        } catch (CliException e) {
            return null;
        }
    }

    private static String agentDescription(AgentState agent) {
        if (agent == null) {
            return "unknown";
        }
        return agent.state().name().toLowerCase(java.util.Locale.ROOT);
    }

    private String header(AgentState agent) {
        StringBuilder sb = new StringBuilder("JVM ").append(target.pid()).append(" (").append(target.name())
                .append("), may use CPUs ").append(processCpus).append("; agent: ");
        if (agent == null) {
            sb.append("unknown");
        } else if (agent.state() == AgentState.State.ACTIVE) {
            sb.append("active, config ").append(agent.config());
        } else if (agent.state() == AgentState.State.DETACHED) {
            sb.append("detached");
        } else {
            sb.append("not loaded");
        }
        return sb.toString();
    }

    private static void sleepUntil(long nanoTime) throws CliException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
        }
    }
}
