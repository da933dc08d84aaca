package io.affinityagent.it.agents;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.CountDownLatch;

/**
 * A test seam, outside the agent: given after affinity-agent, and with {@link StartGateAgent}
 * before it holding the agent's start thread, it holds the application's first load of
 * ThreadPoolExecutor inside the JVM's class-load hook, where the class is under way but not
 * loaded. Then it opens the start gate: the agent registers its transformer, which that load
 * passed without, and looks for the pool classes loaded, as it would if the application loaded
 * the class at that moment by itself. The load goes on once the start thread is past its hooks
 * (it loads the class of a re-plan's outcome), and the start thread goes on once the class is
 * loaded. Prints {@code HELD <class> <how it ended>} on stdout. The agent's production code knows
 * nothing of it.
 */
public final class PoolClassLoadHoldAgent {

    static final String HELD = "java/util/concurrent/ThreadPoolExecutor";
    private static final String START_THREAD = "affinity-start";
    /** The first class the agent's start loads once its hooks are in: its plan's outcome. */
    private static final String PAST_THE_HOOKS = "io/affinityagent/engine/ReplanOutcome";

    private static final CountDownLatch startPastTheHooks = new CountDownLatch(1);
    private static volatile boolean held;

    private PoolClassLoadHoldAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                    byte[] bytes) {
                if (Thread.currentThread().getName().equals(START_THREAD)) {
                    if (PAST_THE_HOOKS.equals(name) && held) {
                        startPastTheHooks.countDown();
                        awaitTheHeldClass();
                    }
                } else if (HELD.equals(name) && redefined == null) {
                    held = true;
                    System.out.println("HELD " + name + " " + holdUntilTheStartIsPastItsHooks());
                }
                return null;
            }
        }, true); // with the retransforming agents, which the JVM asks after the others: after affinity-agent's
    }

    private static String holdUntilTheStartIsPastItsHooks() {
        Object gate = System.getProperties().get(StartGateAgent.GATE);
        if (gate == null) {
            return "no-start-gate";
        }
        ((CountDownLatch) gate).countDown();
        try {
            return startPastTheHooks.await(20, java.util.concurrent.TimeUnit.SECONDS)
                    ? "until-the-start-was-past-its-hooks" : "timed-out";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** On the start thread: returns once the application's load of the held class has ended. */
    private static void awaitTheHeldClass() {
        try {
            Class.forName(HELD.replace('/', '.'), false, null); // waits for a load under way
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
