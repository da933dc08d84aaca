package io.affinityagent.registry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's own time in the JDK's threads: for each hook, how long its first call took and
 * how many calls came after it and for how long in all, so that {@code status} can say what the
 * agent costs the application it rides in. The first call is kept apart because it carries the
 * one-off set-up (loading and interpreting the agent's code, and for the first pin, hooking
 * java.lang.Thread), which would otherwise swamp the mean of a handful of calls. Two clock reads
 * and two uncontended adds per call, about 50 ns, against the tens of µs a thread start costs.
 */
public final class HookTimes {

    /** The hooks, in the order they are published. */
    public enum Hook {
        WORKER_START("worker-start"),
        WORKER_EXIT("worker-exit"),
        WORKER_CREATED("worker-created"),
        THREAD_START("thread-start"),
        THREAD_RUN("thread-run");

        private final String key;

        Hook(String key) {
            this.key = key;
        }

        /** The name in the published line. */
        public String key() {
            return key;
        }
    }

    private static final long NONE = -1;

    private final AtomicLong[] firstNanos = new AtomicLong[Hook.values().length];
    private final LongAdder[] laterCalls = new LongAdder[Hook.values().length];
    private final LongAdder[] laterNanos = new LongAdder[Hook.values().length];

    public HookTimes() {
        for (int i = 0; i < firstNanos.length; i++) {
            firstNanos[i] = new AtomicLong(NONE);
            laterCalls[i] = new LongAdder();
            laterNanos[i] = new LongAdder();
        }
    }

    public void record(Hook hook, long elapsedNanos) {
        int i = hook.ordinal();
        if (firstNanos[i].get() == NONE && firstNanos[i].compareAndSet(NONE, elapsedNanos)) {
            return;
        }
        laterCalls[i].increment();
        laterNanos[i].add(elapsedNanos);
    }

    /** The first call's time, or -1 before it. */
    public long firstNanos(Hook hook) {
        return firstNanos[hook.ordinal()].get();
    }

    /** Calls after the first. */
    public long laterCalls(Hook hook) {
        return laterCalls[hook.ordinal()].sum();
    }

    /** Their time in all. */
    public long laterNanos(Hook hook) {
        return laterNanos[hook.ordinal()].sum();
    }

    /**
     * {@code worker-start=FIRST/CALLS/NANOS ...}, every hook that has run, in order: the first
     * call's nanoseconds, then how many calls came after it and their nanoseconds in all.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(128);
        for (Hook h : Hook.values()) {
            long first = firstNanos(h);
            if (first != NONE) {
                sb.append(sb.length() > 0 ? " " : "").append(h.key()).append('=').append(first).append('/')
                        .append(laterCalls(h)).append('/').append(laterNanos(h));
            }
        }
        return sb.toString();
    }
}
