package io.affinityagent.agent;

import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.OnError;
import io.affinityagent.launcher.AgentLauncher;
import io.affinityagent.log.AgentLog;
import io.affinityagent.os.ProcFs;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * The agent's start at JVM start, on a daemon thread of its own while the application starts:
 * the config, the native helper, the hooks, the plan, then a sweep of the threads already
 * running, which places the workers that started meanwhile (as an attach does). By default
 * ({@code start=background}) the JVM reaches {@code main} without waiting for the agent's
 * classes: when nothing asked for {@code main} to wait, the launcher makes this thread itself and
 * premain's work runs on it ({@link #runHere}); otherwise premain starts it ({@link #begin}),
 * after the checks on-error = fail needs, and with {@code start=before-main} waits for it.
 *
 * <p>The start comes in two parts: the agent put together (the config, the native helper, the
 * plan), which no application thread can be waiting for, then the agent started (the hooks, the
 * sweep, the agent's own threads). The second part runs where the caller says: on the same
 * thread, or, when the launcher ran the first at a low priority, back on the start thread.
 *
 * <p>The threads are daemons and nothing waits for them at exit: an application that ends first
 * ends as it would without the agent. They are the agent's own, never placed by a rule.
 */
final class BackgroundStart implements Runnable {

    /**
     * The start thread's name, whoever makes it (the test applications await its end by it). A
     * compile-time constant, so the launcher's class, which this loader does not have, never loads here.
     */
    static final String THREAD_NAME = AgentLauncher.START_THREAD;

    /** The second part of the start on the thread that ran the first. A class, not a lambda: premain path. */
    static final Executor ON_THIS_THREAD = new Executor() {
        @Override
        public void execute(Runnable command) {
            command.run();
        }
    };

    private final Instrumentation inst;
    private final AgentArguments args;
    /** The config checked already in premain (on-error = fail), or null to check it here. */
    private final ConfigLoader.Result checked;
    private final AgentLog log;
    /** Where the second part runs. */
    private final Executor secondPart;
    /** When premain made this start, for the debug line that says how long it took. */
    private final long begunNanos = System.nanoTime();

    private BackgroundStart(Instrumentation inst, AgentArguments args, ConfigLoader.Result checked, AgentLog log,
                            Executor secondPart) {
        this.inst = inst;
        this.args = args;
        this.checked = checked;
        this.log = log;
        this.secondPart = secondPart;
    }

    /** Starts the agent on its own daemon thread; {@code checked} is the config premain checked, or null. */
    static void begin(Instrumentation inst, AgentArguments args, ConfigLoader.Result checked, AgentLog log) {
        Thread t = new Thread(null, new BackgroundStart(inst, args, checked, log, ON_THIS_THREAD), THREAD_NAME, 0,
                false);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Runs the start on this thread, a thread the launcher made when it left {@code main} to the
     * application at once (the config is checked here), and its second part on {@code secondPart}.
     */
    static void runHere(Instrumentation inst, AgentArguments args, AgentLog log, Executor secondPart) {
        new BackgroundStart(inst, args, null, log, secondPart).run();
    }

    /**
     * With on-error = fail (in the arguments, or in the file: read here with the JDK's own
     * properties parser, whose classes the JVM has loaded already), the checks that can refuse
     * run in premain, so that a refusal stops the JVM before {@code main}; a file that cannot be
     * read is left to the background start, which says why. Bad arguments are said in premain too.
     */
    static boolean mustCheckBeforeMain(AgentArguments args) {
        if (!args.errors().isEmpty() || args.config() == null) {
            return true;
        }
        if (args.onError() != null) {
            return args.onError() == OnError.FAIL; // the arguments win over the file
        }
        Properties file = new Properties();
        try (InputStream in = new FileInputStream(args.config().toFile())) {
            file.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        return OnError.fromConfigName(file.getProperty("on-error", "").trim()) == OnError.FAIL;
    }

    @Override
    public void run() {
        Agent agent;
        try {
            // Made here, not in premain: verifying its class loads four more of ours.
            agent = AgentMain.preparedInBackground(AgentStartup.inBackground(inst, log), args, checked);
        } catch (Throwable t) {
            // Nothing may escape into the application: it runs on, unpinned.
            log.error("the agent failed to start, the application runs unpinned: " + t);
            return;
        }
        if (agent == null) {
            return; // said why
        }
        agent.engine().agentThread(Thread.currentThread()); // an any-thread rule's sweep must not take it either
        SecondPart second = new SecondPart(agent, log.isDebug() ? FirstPartCost.ofThisThread() : null);
        try {
            secondPart.execute(second);
        } catch (RuntimeException handedBackAlready) {
            second.run(); // never leave the start half-made
        }
    }

    /** What the first part cost, on its thread: for the debug line. */
    private static final class FirstPartCost {
        final long cpuNanos;
        final int nice;
        final Thread thread;

        private FirstPartCost(long cpuNanos, int nice, Thread thread) {
            this.cpuNanos = cpuNanos;
            this.nice = nice;
            this.thread = thread;
        }

        static FirstPartCost ofThisThread() {
            ProcFs proc = ProcFs.system();
            return new FirstPartCost(proc.currentThreadCpuNanos(), proc.currentThreadNice(), Thread.currentThread());
        }
    }

    /** The agent started: the hooks, the plan and its sweep, then the work before the first pin. */
    private final class SecondPart implements Runnable {
        private final Agent agent;
        /** Null unless the log says debug. */
        private final FirstPartCost first;

        SecondPart(Agent agent, FirstPartCost first) {
            this.agent = agent;
            this.first = first;
        }

        @Override
        public void run() {
            try {
                long cpuBefore = first == null ? 0 : ProcFs.system().currentThreadCpuNanos();
                AgentMain.startedInBackground(agent);
                // After main is let go (start=before-main): a worker that starts meanwhile waits for it.
                agent.prepareFirstPin();
                if (first != null) {
                    log.debug(took(ProcFs.system().currentThreadCpuNanos() - cpuBefore));
                }
            } catch (Throwable t) {
                log.error("the agent failed to start, the application runs unpinned: " + t);
            }
        }

        /** How long the start took, how much of it on a CPU, and where its first part ran, as the kernel says. */
        private String took(long secondPartCpuNanos) {
            String line = "the agent's start took " + millis(System.nanoTime() - begunNanos) + " ms";
            if (first.cpuNanos >= 0 && secondPartCpuNanos >= 0) {
                line += ", " + millis(first.cpuNanos + secondPartCpuNanos) + " ms of it on a CPU";
            }
            if (first.thread != Thread.currentThread()) {
                line += "; its first part (the config, the native helper, the plan) on " + first.thread.getName()
                        + (first.nice == Integer.MIN_VALUE ? "" : " at nice " + first.nice)
                        + (first.cpuNanos < 0 ? "" : ", " + millis(first.cpuNanos) + " ms on a CPU")
                        + ", the rest on " + Thread.currentThread().getName();
            }
            return line;
        }
    }

    private static double millis(long nanos) {
        return nanos / 100_000 / 10.0;
    }
}
