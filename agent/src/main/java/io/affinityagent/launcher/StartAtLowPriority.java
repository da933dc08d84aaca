package io.affinityagent.launcher;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.Executor;

/**
 * The start on a thread of its own at a low priority ({@link StartPriority}): the agent's
 * loader, the config, the native helper, the agent put together, where no application thread
 * can wait for it. The rest (the hooks, which application threads run into, the sweep, the
 * agent's own threads) the agent hands back through {@link #execute}, to run on the start
 * thread at the JVM's priority. Where the priority cannot be lowered, all of it runs here.
 */
final class StartAtLowPriority implements Runnable, Executor {
    private final String args;
    private final Instrumentation inst;
    /** Handed back, to run on the start thread; guarded by this. */
    private Runnable handedBack;
    /** This thread's part is over; guarded by this. */
    private boolean over;

    private StartAtLowPriority(String args, Instrumentation inst) {
        this.args = args;
        this.inst = inst;
    }

    /** On the start thread: makes the low-priority thread, waits for it, and runs what it hands back. */
    static void onTheStartThread(String args, Instrumentation inst) {
        StartAtLowPriority low = new StartAtLowPriority(args, inst);
        Thread t = new Thread(null, low, AgentLauncher.LOW_PRIORITY_THREAD, 0, false);
        t.setDaemon(true);
        t.start();
        low.runWhatIsHandedBack();
    }

    @Override
    public void run() {
        try {
            if (lowered()) {
                AgentLauncher.enterAtLowPriority(args, inst, this);
            } else {
                AgentLauncher.enter("startBesideMain", args, inst);
            }
        } finally {
            synchronized (this) {
                over = true;
                notifyAll();
            }
        }
    }

    private static boolean lowered() {
        try {
            return StartPriority.lowerCurrentThread(IsolatedClassLoader.jarOf(AgentLauncher.class).toFile());
        } catch (Exception e) { // the agent's start says what is wrong with the jar
            return false;
        }
    }

    /** Once, from this thread: the rest of the start, for the start thread. */
    @Override
    public synchronized void execute(Runnable rest) {
        if (handedBack != null || over) {
            throw new IllegalStateException("the rest of the start is handed back once, before the low-priority part ends");
        }
        handedBack = rest;
        notifyAll();
    }

    /** On the start thread: waits for the low-priority part, then runs what it handed back, if anything. */
    private void runWhatIsHandedBack() {
        Runnable rest;
        boolean interrupted = false;
        synchronized (this) {
            while (handedBack == null && !over) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            rest = handedBack;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (rest != null) {
            try {
                rest.run();
            } catch (Throwable t) { // the agent says its own; nothing may escape into the JVM
                System.err.println(AgentLauncher.PREFIX + "error: the agent failed to start, the application runs unpinned: " + t);
            }
        }
    }
}
