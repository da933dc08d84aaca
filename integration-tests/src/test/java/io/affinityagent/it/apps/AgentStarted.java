package io.affinityagent.it.apps;

/**
 * For the test applications, before they say READY: waits until affinity-agent's start at JVM
 * start has ended (its thread, {@code affinity-start}, is no longer alive), so that by READY the
 * agent's plan is active, the threads started before it are placed, and its start-up lines are
 * on stderr ahead of anything the application prints next. Returns at once without the agent.
 *
 * <p>The thread is looked for among the JVM's threads, not in /proc: a thread is alive from the
 * moment its start() returns, but /proc shows its name only once it has begun to run, so a start
 * thread not yet scheduled (a loaded machine, an emulated CPU) looked ended already.
 */
public final class AgentStarted {

    /** The agent's start thread's name. */
    static final String START_THREAD = "affinity-start";

    private AgentStarted() {
    }

    public static void await() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (startThreadRuns()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("affinity-agent's start thread still runs after 60 s");
            }
            Thread.sleep(2);
        }
    }

    private static boolean startThreadRuns() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            if (threads[i].getName().equals(START_THREAD) && threads[i].isAlive()) {
                return true;
            }
        }
        return false;
    }
}
