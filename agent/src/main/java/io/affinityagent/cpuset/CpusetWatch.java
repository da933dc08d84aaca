package io.affinityagent.cpuset;

import io.affinityagent.cpu.CpuSet;
import java.util.concurrent.locks.LockSupport;

/**
 * Notices that the process's allowed CPUs changed (a container's cpuset rewritten by the
 * Kubernetes CPU manager, {@code docker update --cpuset-cpus}, systemd's {@code AllowedCPUs=}),
 * by looking every interval from a daemon thread of its own, and tells its listener. Nothing on
 * any task path: the only cost is this thread's wake-ups (measured in benchmarks/RESULTS.md).
 *
 * <p>The thread must be started by a thread the agent did not pin (premain's, or the attach
 * listener's): it reads its own mask ({@link WatchThreadMask}), which it inherits.
 */
public final class CpusetWatch {

    /** Told on the watch's thread; must not throw (what it throws is reported and the watch goes on). */
    public interface Listener {

        /** The allowed CPUs changed from {@code before} to {@code after}: re-plan. */
        void cpusetChanged(CpuSet before, CpuSet after);

        /** Every wake-up with no change: for work that waits for a CPU to free (exclusive rules' {@code when-held = wait}). */
        default void unchanged(CpuSet current) {
        }

        /** Reading the allowed CPUs failed; called once per distinct message. */
        default void readFailed(String message) {
        }
    }

    public static final String THREAD_NAME = "affinity-agent-cpuset-watch";

    private final AllowedCpusSource source;
    private final long intervalNanos;
    private final Listener listener;
    private volatile CpuSet current;
    private volatile boolean stopped;
    private volatile Thread thread;
    private String lastFailure;

    /**
     * @param initial the CPUs the current plan was made for
     */
    public CpusetWatch(AllowedCpusSource source, long intervalMillis, CpuSet initial, Listener listener) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("interval " + intervalMillis + " ms");
        }
        this.source = source;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.listener = listener;
        this.current = initial;
    }

    /** The CPUs the current plan was made for (the last set the listener was told of). */
    public CpuSet current() {
        return current;
    }

    public AllowedCpusSource source() {
        return source;
    }

    public long intervalMillis() {
        return intervalNanos / 1_000_000L;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        Thread t = new Thread(null, new Runnable() {
            @Override
            public void run() {
                loop();
            }
        }, THREAD_NAME, 0, false); // the default stack: another agent's transformer may run on it
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * Runs the watch on the calling thread until it is stopped, looking at once and then every
     * interval: for a caller that made the thread itself and waited out the first interval before
     * making the watch, so that nothing of the watch is loaded while the application starts.
     */
    public void runOnCurrentThread() {
        synchronized (this) {
            if (thread != null) {
                throw new IllegalStateException("the watch runs already");
            }
            thread = Thread.currentThread();
        }
        if (!stopped) {
            checkOnce();
        }
        loop();
    }

    /** Stops the thread and waits for it (a listener call in progress finishes first). */
    public void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            LockSupport.unpark(t);
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops the thread without waiting for it: for a caller that may hold what a listener call in
     * progress waits for (the agent's command lock). A call in progress finishes; no other follows.
     */
    public void stopSoon() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** The watch's thread, once started (for tests). */
    Thread thread() {
        return thread;
    }

    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive() && !stopped;
    }

    private void loop() {
        while (!stopped) {
            LockSupport.parkNanos(this, intervalNanos);
            if (!stopped) {
                checkOnce();
            }
        }
    }

    /**
     * One look, on the calling thread (which must have the watch thread's unpinned mask for
     * {@link WatchThreadMask}; tests and sources that read elsewhere may call it from anywhere).
     *
     * @return true when the CPUs changed and the listener was told
     */
    boolean checkOnce() {
        CpuSet now;
        try {
            now = source.read();
        } catch (Throwable e) {
            String message = String.valueOf(e.getMessage());
            if (!message.equals(lastFailure)) {
                lastFailure = message;
                safely(null, null, message);
            }
            return false;
        }
        lastFailure = null;
        CpuSet before = current;
        if (now.isEmpty() || now.equals(before)) {
            safely(now, now, null);
            return false;
        }
        current = now;
        safely(before, now, null);
        return true;
    }

    private void safely(CpuSet before, CpuSet after, String failure) {
        try {
            if (failure != null) {
                listener.readFailed(failure);
            } else if (before == after) {
                listener.unchanged(after);
            } else {
                listener.cpusetChanged(before, after);
            }
        } catch (Throwable t) {
            // The listener reports its own failures; a watch that died here would never re-plan again.
        }
    }
}
