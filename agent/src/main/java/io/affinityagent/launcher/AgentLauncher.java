package io.affinityagent.launcher;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The only classes of the agent jar the application's class loader can see. They load the real
 * agent (and its runtime: ASM, picocli, a JNI helper) from the jar's {@code inst/} folder with
 * an isolated class loader, and call into it. Nothing here may throw into the JVM: an exception from
 * premain would abort it.
 */
public final class AgentLauncher {

    static final String AGENT_MAIN = "io.affinityagent.agent.AgentMain";
    static final String CLI_MAIN = "io.affinityagent.cli.AffinityAgentCli";
    private static final String PREFIX = "[affinity-agent] ";

    private static IsolatedClassLoader loader;

    private AgentLauncher() {
    }

    public static void premain(String args, Instrumentation inst) {
        enter("premain", args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        enter("agentmain", args, inst);
    }

    /** {@code java -jar affinity-agent.jar attach|status|detach|check ...} */
    public static void main(String[] args) {
        int status;
        try {
            Method main = Class.forName(CLI_MAIN, true, isolated(CLI_MAIN)).getMethod("run", String[].class);
            status = (int) main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            // The command line's own JVM, never an application's: a bug of ours gets its trace, to report.
            System.err.println(PREFIX + "internal error, please report it: " + e.getCause());
            e.getCause().printStackTrace();
            status = 2;
        } catch (Throwable t) {
            System.err.println(PREFIX + "error: cannot start the command line: " + t);
            status = 2;
        }
        System.exit(status);
    }

    private static void enter(String method, String args, Instrumentation inst) {
        try {
            Class<?> agent = Class.forName(AGENT_MAIN, true, isolated(AGENT_MAIN));
            agent.getMethod(method, String.class, Instrumentation.class).invoke(null, args, inst);
        } catch (InvocationTargetException e) {
            System.err.println(PREFIX + "error: the agent failed to start, the application runs unpinned: "
                    + e.getCause());
        } catch (Throwable t) {
            System.err.println(PREFIX + "error: the agent failed to start, the application runs unpinned: " + t);
        }
    }

    private static synchronized ClassLoader isolated(String entryPoint) throws Exception {
        if (loader == null) {
            loader = IsolatedClassLoader.forJarOf(AgentLauncher.class, entryPoint);
        }
        return loader;
    }
}
