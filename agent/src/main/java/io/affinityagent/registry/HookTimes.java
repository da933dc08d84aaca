package io.affinityagent.registry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's time in the JDK's threads: for each hook, how long its first call took and how
 * many calls came after it and for how long in all, so that {@code status} can say what the
 * agent costs the application it rides in. The first call is kept apart because it carries the
 * one-off set-up (loading and interpreting the agent's code, and for the first pin, hooking
 * java.lang.Thread), which would otherwise swamp the mean of a handful of calls.
 *
 * <p>The later calls' time is split in two: the pin call (the {@code sched_setaffinity} that
 * pins the thread, which, when the thread must move, includes the kernel migrating it and its
 * wait to run on the target CPU; and for threads that start while the agent makes its one-off
 * set-up before its first pin, the wait for it) and the rest, the agent's own work. Ten threads
 * started at once, moved onto busy CPUs, spend their hooks mostly in the first part, which is
 * not the agent's cost. The pin call is timed where it is made (two clock reads the executor
 * takes anyway). The rest is wall time too: on CPUs oversubscribed by runnable threads it also
 * holds the hook's waits to run (the thread's CPU time would tell those apart, but reading it is
 * a system call each time, too dear here: see benchmarks/RESULTS.md).
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
    private final LongAdder[] laterPinNanos = new LongAdder[Hook.values().length];

    public HookTimes() {
        for (int i = 0; i < firstNanos.length; i++) {
            firstNanos[i] = new AtomicLong(NONE);
            laterCalls[i] = new LongAdder();
            laterNanos[i] = new LongAdder();
            laterPinNanos[i] = new LongAdder();
        }
    }

    /**
     * One call of {@code hook}: {@code elapsedNanos} in all, of which {@code pinCallNanos} in the
     * pin call (0 when it pinned nothing).
     */
    public void record(Hook hook, long elapsedNanos, long pinCallNanos) {
        int i = hook.ordinal();
        if (firstNanos[i].get() == NONE && firstNanos[i].compareAndSet(NONE, elapsedNanos)) {
            return;
        }
        laterCalls[i].increment();
        laterNanos[i].add(elapsedNanos);
        if (pinCallNanos > 0) {
            laterPinNanos[i].add(Math.min(pinCallNanos, elapsedNanos));
        }
    }

    /** The first call's time, or -1 before it. */
    public long firstNanos(Hook hook) {
        return firstNanos[hook.ordinal()].get();
    }

    /** Calls after the first. */
    public long laterCalls(Hook hook) {
        return laterCalls[hook.ordinal()].sum();
    }

    /** Their time in all (wall time: the pin call included). */
    public long laterNanos(Hook hook) {
        return laterNanos[hook.ordinal()].sum();
    }

    /** Of {@link #laterNanos}, the time in the pin call (with a move: the migration and the wait for the target CPU). */
    public long laterPinNanos(Hook hook) {
        return laterPinNanos[hook.ordinal()].sum();
    }

    /** Of {@link #laterNanos}, the agent's own work: everything but the pin call. */
    public long laterOwnNanos(Hook hook) {
        int i = hook.ordinal();
        return Math.max(0, laterNanos[i].sum() - laterPinNanos[i].sum());
    }

    /**
     * {@code worker-start=FIRST/CALLS/NANOS/PIN_NANOS ...}, every hook that has run, in order: the
     * first call's nanoseconds, then how many calls came after it, their nanoseconds in all, and
     * how many of those were spent in the pin call (so NANOS - PIN_NANOS is the agent's own work).
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(128);
        for (Hook h : Hook.values()) {
            long first = firstNanos(h);
            if (first != NONE) {
                sb.append(sb.length() > 0 ? " " : "").append(h.key()).append('=').append(first).append('/')
                        .append(laterCalls(h)).append('/').append(laterNanos(h)).append('/').append(laterPinNanos(h));
            }
        }
        return sb.toString();
    }
}
