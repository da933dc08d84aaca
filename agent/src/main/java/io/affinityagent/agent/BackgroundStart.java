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

/**
 * The agent's start at JVM start, on a daemon thread of its own while the application starts:
 * the config, the native helper, the hooks, the plan, then a sweep of the threads already
 * running, which places the workers that started meanwhile (as an attach does). By default
 * ({@code start=background}) the JVM reaches {@code main} without waiting for the agent's
 * classes: when nothing asked for {@code main} to wait, the launcher makes this thread itself and
 * premain's work runs on it ({@link #runHere}); otherwise premain starts it ({@link #begin}),
 * after the checks on-error = fail needs, and with {@code start=before-main} waits for it.
 *
 * <p>The thread is a daemon and nothing waits for it at exit: an application that ends first
 * ends as it would without the agent. It is the agent's own thread, never placed by a rule.
 */
final class BackgroundStart implements Runnable {

    /**
     * The start thread's name, whoever makes it (the test applications await its end by it). A
     * compile-time constant, so the launcher's class, which this loader does not have, never loads here.
     */
    static final String THREAD_NAME = AgentLauncher.START_THREAD;

    private final Instrumentation inst;
    private final AgentArguments args;
    /** The config checked already in premain (on-error = fail), or null to check it here. */
    private final ConfigLoader.Result checked;
    private final AgentLog log;
    /** When premain made this start, for the debug line that says how long it took. */
    private final long begunNanos = System.nanoTime();

    private BackgroundStart(Instrumentation inst, AgentArguments args, ConfigLoader.Result checked, AgentLog log) {
        this.inst = inst;
        this.args = args;
        this.checked = checked;
        this.log = log;
    }

    /** Starts the agent on its own daemon thread; {@code checked} is the config premain checked, or null. */
    static void begin(Instrumentation inst, AgentArguments args, ConfigLoader.Result checked, AgentLog log) {
        Thread t = new Thread(null, new BackgroundStart(inst, args, checked, log), THREAD_NAME, 0, false);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Runs the start on this thread, the start thread the launcher made when it left {@code main}
     * to the application at once; the config is checked here.
     */
    static void runHere(Instrumentation inst, AgentArguments args, AgentLog log) {
        new BackgroundStart(inst, args, null, log).run();
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
        try {
            // Made here, not in premain: verifying its class loads four more of ours.
            Agent agent = AgentMain.startedInBackground(AgentStartup.inBackground(inst, log), args, checked);
            if (agent != null) {
                // After main is let go (start=before-main): a worker that starts meanwhile waits for it.
                agent.prepareFirstPin();
            }
            if (log.isDebug()) {
                long onCpu = ProcFs.system().currentThreadCpuNanos();
                log.debug("the agent's start took " + (System.nanoTime() - begunNanos) / 100_000 / 10.0 + " ms"
                        + (onCpu < 0 ? "" : ", " + onCpu / 100_000 / 10.0 + " ms of it on a CPU"));
            }
        } catch (Throwable t) {
            // Nothing may escape into the application: it runs on, unpinned.
            log.error("the agent failed to start, the application runs unpinned: " + t);
        }
    }
}
