package io.affinityagent.launcher;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

/**
 * The only classes of the agent jar the application's class loader can see (with
 * nativefile.PrivateLibraryCopy, which {@link StartPriority} uses). They load the real agent (and
 * its runtime: ASM, picocli, a JNI helper) from the jar's {@code inst/} folder with an isolated
 * class loader, and call into it. Nothing here may throw into the JVM: an exception from
 * premain would abort it.
 */
public final class AgentLauncher {

    static final String AGENT_MAIN = "io.affinityagent.agent.AgentMain";
    static final String CLI_MAIN = "io.affinityagent.cli.AffinityAgentCli";
    /** The agent's start thread at JVM start; 14 characters, so /proc shows it whole. */
    public static final String START_THREAD = "affinity-start";
    /** The start thread's helper at a low priority (StartPriority); 15 characters. */
    public static final String LOW_PRIORITY_THREAD = "affinity-config";
    static final String PREFIX = "[affinity-agent] ";

    /** Typed as its superclass: verifying this class must not load the loader's class before main. */
    private static ClassLoader loader;
    private static final Object PREMAIN_CLAIM = new Object();
    /** Taken by the first premain; guarded by PREMAIN_CLAIM. */
    private static boolean premainClaimed;
    /**
     * From premain's hand-off to the end of the start on the start thread; guarded by
     * PREMAIN_CLAIM. An attach meanwhile waits for it, as the agent makes it wait for a start
     * premain began: otherwise it could start a second agent before the first is under way.
     */
    private static boolean startBesideMainPending;

    private AgentLauncher() {
    }

    /**
     * At JVM start. When nothing in the arguments or the config file may need {@code main} to
     * wait ({@link #mayStartBesideMain}), the whole start, the agent's own class loader
     * included, goes to the start thread at once and {@code main} pays only for this class;
     * otherwise the agent's premain decides on this thread (on-error = fail, start=before-main).
     */
    public static void premain(String args, Instrumentation inst) {
        // Here, in the order of the -javaagent options, before any start thread: the first copy
        // of this jar wins, and a second one must not keep the JVM from main while the first starts.
        if (!claimPremain()) {
            System.err.println(PREFIX + "warning: affinity-agent is already running in this JVM;"
                    + " this copy does nothing (is -javaagent given twice?)");
            return;
        }
        try {
            if (mayStartBesideMain(args)) {
                Thread start = new Thread(null, new StartBesideMain(args, inst), START_THREAD, 0, false);
                start.setDaemon(true);
                setStartBesideMainPending(true);
                start.start();
                return;
            }
        } catch (Throwable t) {
            // fall through to the main thread's path, which says what is wrong
            setStartBesideMainPending(false);
        }
        enter("premain", args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        awaitStartBesideMain();
        enter("agentmain", args, inst);
    }

    /** {@code java -jar affinity-agent.jar attach|status|detach|check ...} */
    public static void main(String[] args) {
        int status;
        try {
            Method main = Class.forName(CLI_MAIN, true, isolated(CLI_MAIN)).getMethod("run", String[].class);
            status = (int) main.invoke(null, (Object) args);
        } catch (Throwable t) {
            if (t instanceof InvocationTargetException) {
                // The command line's own JVM, never an application's: a bug of ours gets its trace, to report.
                System.err.println(PREFIX + "internal error, please report it: " + t.getCause());
                t.getCause().printStackTrace();
            } else {
                System.err.println(PREFIX + "error: cannot start the command line: " + t);
            }
            status = 2;
        }
        System.exit(status);
    }

    static void enter(String method, String args, Instrumentation inst) {
        enter(method, new Class<?>[] {String.class, Instrumentation.class}, args, inst);
    }

    /** The start at a low priority: the agent hands the rest, which must not run so, back to {@code atJvmPriority}. */
    static void enterAtLowPriority(String args, Instrumentation inst, Executor atJvmPriority) {
        enter("startBesideMainAtLowPriority", new Class<?>[] {String.class, Instrumentation.class, Executor.class},
                args, inst, atJvmPriority);
    }

    private static void enter(String method, Class<?>[] types, Object... values) {
        try {
            Class<?> agent = Class.forName(AGENT_MAIN, true, isolated(AGENT_MAIN));
            agent.getMethod(method, types).invoke(null, values);
        } catch (Throwable t) {
            // One handler: a catch of InvocationTargetException would load it with this class, before main.
            Throwable cause = t instanceof InvocationTargetException ? t.getCause() : t;
            System.err.println(PREFIX + "error: the agent failed to start, the application runs unpinned: " + cause);
        }
    }

    static void setStartBesideMainPending(boolean pending) {
        synchronized (PREMAIN_CLAIM) {
            startBesideMainPending = pending;
            PREMAIN_CLAIM.notifyAll();
        }
    }

    static void awaitStartBesideMain() {
        boolean interrupted = false;
        synchronized (PREMAIN_CLAIM) {
            while (startBesideMainPending) {
                try {
                    PREMAIN_CLAIM.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean claimPremain() {
        synchronized (PREMAIN_CLAIM) {
            boolean first = !premainClaimed;
            premainClaimed = true;
            return first;
        }
    }

    /**
     * Whether premain may leave {@code main} to the application at once: the arguments are only
     * {@code config=FILE} with any of {@code log=quiet|info|debug} and {@code start=background},
     * and the file, when it can be read, does not mention {@code on-error} (nor holds a
     * backslash, which could spell it escaped). Anything else (on-error, start=before-main, an
     * argument the agent would call bad) takes the path that decides on the main thread, before
     * {@code main}, as it always did: this recognises the plain case and parses nothing for the
     * agent. A file that cannot be read is left to the start thread, which says why, as on that path.
     */
    static boolean mayStartBesideMain(String args) {
        if (args == null) {
            return false;
        }
        String config = null;
        for (String item : args.split(",")) {
            String trimmed = item.trim();
            if (trimmed.startsWith("config=")) {
                config = trimmed.substring("config=".length()).trim();
                continue;
            }
            switch (trimmed) {
                case "log=quiet":
                case "log=info":
                case "log=debug":
                case "start=background":
                    break;
                default:
                    return false;
            }
        }
        if (config == null || config.isEmpty()) {
            return false;
        }
        byte[] text;
        try (InputStream in = new FileInputStream(config)) {
            text = in.readAllBytes();
        } catch (IOException | SecurityException e) {
            return true;
        }
        String file = new String(text, StandardCharsets.ISO_8859_1);
        return !file.contains("on-error") && file.indexOf('\\') < 0;
    }

    /** The start thread's work when premain has left main to the application: all of the agent's start. */
    private static final class StartBesideMain implements Runnable {
        private final String args;
        private final Instrumentation inst;

        StartBesideMain(String args, Instrumentation inst) {
            this.args = args;
            this.inst = inst;
        }

        @Override
        public void run() {
            try {
                if (StartPriority.possibleHere()) {
                    StartAtLowPriority.onTheStartThread(args, inst);
                } else {
                    enter("startBesideMain", args, inst);
                }
            } finally {
                setStartBesideMainPending(false);
            }
        }
    }

    private static synchronized ClassLoader isolated(String entryPoint) throws Exception {
        if (loader == null) {
            loader = IsolatedClassLoader.forJarOf(AgentLauncher.class, entryPoint);
        }
        return loader;
    }
}
