package io.affinityagent.agent;

import io.affinityagent.config.ConfigLoader;
import io.affinityagent.jdk.JvmAgentProperties;
import io.affinityagent.log.AgentLog;
import io.affinityagent.log.LogLevel;
import io.affinityagent.registry.Reply;
import io.affinityagent.registry.StatusPublisher;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.Executor;

/**
 * The agent's entry points inside its isolated module, called by the launcher: {@link #premain}
 * at JVM start (which hands the start to {@link BackgroundStart}) and {@link #agentmain} when
 * attached (or, where the JDK hides reads of the agent properties, for each later command).
 * {@link AgentStartup} checks and puts the agent together; {@link Agent} runs it.
 */
public final class AgentMain {

    /** This agent's version, read on first need (not in premain, before main). */
    private static volatile String version;

    /** The running agent of this JVM, or null. */
    private static volatile Agent running;
    /** From premain until its background start has ended, either way; guarded by this class's lock. */
    private static boolean starting;

    private AgentMain() {
    }

    /**
     * At JVM start, on the main thread, when the launcher could not leave {@code main} to the
     * application at once (on-error, start=before-main, or arguments it does not call plain):
     * starts the agent on a thread of its own ({@link BackgroundStart}), after the checks that
     * on-error = fail needs to stop the JVM before {@code main}; waits for it only when the
     * arguments say {@code start=before-main}. The launcher lets only the first copy of the jar in.
     */
    public static void premain(String argumentText, Instrumentation inst) {
        AgentArguments args = AgentArguments.parse(argumentText);
        AgentLog log = logFor(args);
        synchronized (AgentMain.class) {
            premainOnce(args, log, inst);
        }
    }

    /**
     * At JVM start, on the start thread, when the launcher has left {@code main} to the
     * application at once (nothing asked for {@code main} to wait: no on-error, no
     * start=before-main): premain's work and the start, here.
     */
    public static void startBesideMain(String argumentText, Instrumentation inst) {
        startBesideMain(argumentText, inst, BackgroundStart.ON_THIS_THREAD);
    }

    /**
     * The same on a thread at a low priority the launcher made for it (JDK 17 to 23): the
     * part no application thread can wait for (the config, the native helper, the agent put
     * together) here; the rest, from the hooks on, handed to {@code atJvmPriority}, the start
     * thread, which runs at the priority the JVM gave it.
     */
    public static void startBesideMainAtLowPriority(String argumentText, Instrumentation inst, Executor atJvmPriority) {
        startBesideMain(argumentText, inst, atJvmPriority);
    }

    private static void startBesideMain(String argumentText, Instrumentation inst, Executor rest) {
        AgentArguments args = AgentArguments.parse(argumentText);
        AgentLog log = logFor(args);
        synchronized (AgentMain.class) {
            if (alreadyRunning(log, " (is -javaagent given twice?)")) {
                return;
            }
            starting = true;
        }
        BackgroundStart.runHere(inst, args, log, rest);
    }

    private static void premainOnce(AgentArguments args, AgentLog log, Instrumentation inst) {
        if (alreadyRunning(log, " (is -javaagent given twice?)")) {
            return;
        }
        ConfigLoader.Result checked = null;
        if (BackgroundStart.mustCheckBeforeMain(args)) {
            checked = AgentStartup.atJvmStart(inst, log).check(args);
            if (checked == null) {
                return;
            }
        }
        starting = true;
        BackgroundStart.begin(inst, args, checked, log);
        if (args.startsBeforeMain()) {
            awaitBackgroundStart(); // still on the start thread: main is never taken for the agent's own
        }
    }

    /**
     * The background start's first part, under this class's lock: the agent put together, not
     * started; null when it refused (said), which ends the start, as a throw does. A command or
     * attach meanwhile waits for the whole start ({@code starting}), and so does premain with
     * start=before-main.
     */
    static synchronized Agent preparedInBackground(AgentStartup startup, AgentArguments args,
                                                   ConfigLoader.Result checked) {
        Agent agent = null;
        try {
            agent = checked != null ? startup.assemble(checked) : startup.prepare(args);
            return agent;
        } finally {
            if (agent == null) {
                startEnded();
            }
        }
    }

    /** The background start's second part: {@code agent} started and running. The start ends either way. */
    static synchronized void startedInBackground(Agent agent) {
        try {
            agent.startInBackground();
            running = agent;
        } finally {
            startEnded();
        }
    }

    /** Under this class's lock. */
    private static void startEnded() {
        starting = false;
        AgentMain.class.notifyAll();
    }

    public static synchronized void agentmain(String argumentText, Instrumentation inst) {
        AgentArguments args = AgentArguments.parse(argumentText);
        awaitBackgroundStart();
        Agent agent = running;
        if (agent != null) {
            agent.handle(args);
            return;
        }
        Reply reply = new Reply(args.request(), args.isDetach() ? "detach" : "attach");
        Feedback say = new Feedback(logFor(args), reply);
        if (args.isDetach()) {
            reply.warning("the agent is not running in this JVM; there is nothing to detach");
        } else {
            agent = AgentStartup.atAttach(inst, say).prepare(args);
            if (agent != null) {
                running = agent;
                agent.startAtAttach(say, reply);
            }
        }
        if (agent != null) {
            agent.publish(reply);
        } else if (reply.id() != null) {
            new StatusPublisher(JvmAgentProperties.open(inst)).reply(reply);
        }
    }

    /** An attach (or a command) that comes while the JVM-start agent is still starting acts on it once it has. */
    private static void awaitBackgroundStart() {
        boolean interrupted = false;
        while (starting) {
            try {
                AgentMain.class.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static AgentLog logFor(AgentArguments args) {
        return AgentLog.toStderr(args.logLevel() != null ? args.logLevel() : LogLevel.INFO);
    }

    private static boolean alreadyRunning(AgentLog log, String hint) {
        if (running == null && !starting) {
            return false;
        }
        log.warn("affinity-agent is already running in this JVM; this copy does nothing" + hint);
        return true;
    }

    /** This agent's version, from the jar. */
    static String version() {
        String v = version;
        if (v == null) {
            v = versionOf(AgentMain.class);
            version = v;
        }
        return v;
    }

    private static String versionOf(Class<?> c) {
        try (java.io.InputStream in = c.getResourceAsStream("version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
