package io.affinityagent.engine;

import io.affinityagent.jdk.HookInstallation;
import io.affinityagent.jdk.SchedulerSizing;

/**
 * Work done once, before the agent pins its first thread (by the agent's start at JVM start, else
 * by the first thread to be pinned, while any other waits): hook java.lang.Thread (so that the
 * masks a pinned thread passes on are seen), and fix the schedulers' sizes from the process's
 * CPUs (see {@link SchedulerSizing}). The first pin is on a thread with no mask of ours, whether
 * a pool worker or an any-thread thread.
 */
final class FirstPin {

    private final HookInstallation hooks;
    private final PinExecutor executor;
    private volatile boolean done;
    private boolean running;

    FirstPin(HookInstallation hooks, PinExecutor executor) {
        this.hooks = hooks;
        this.executor = executor;
    }

    /**
     * Does the work if no thread has; returns how long the calling thread waited for another
     * thread doing it (0 when it was done already, or when this thread did it): a wait, not work,
     * which the hook time counts with the pin call.
     */
    long prepare() {
        if (done) {
            return 0;
        }
        long t0 = System.nanoTime();
        synchronized (this) {
            if (done) {
                return System.nanoTime() - t0; // another thread did it meanwhile
            }
            if (running) {
                return 0; // this very thread is doing it
            }
            running = true;
            try {
                for (String problem : hooks.hookThreads()) {
                    executor.problem(problem + "; threads started by pinned threads keep their parent's mask");
                }
                SchedulerSizing.fixFromTheProcess();
            } finally {
                running = false;
                done = true;
            }
        }
        return 0;
    }
}
