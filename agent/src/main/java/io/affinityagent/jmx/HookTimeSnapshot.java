package io.affinityagent.jmx;

import javax.management.ConstructorParameters;

/**
 * One hook's time: its first call (with the one-off set-up), then the calls after it, split into
 * the pin call (the system call; after a move it includes waiting for the target CPU) and the
 * agent's own work (the rest).
 */
public final class HookTimeSnapshot {

    private final String hook;
    private final long firstCallNanos;
    private final long laterCalls;
    private final long laterNanos;
    private final long laterPinCallNanos;

    @ConstructorParameters({"hook", "firstCallNanos", "laterCalls", "laterNanos", "laterPinCallNanos"})
    public HookTimeSnapshot(String hook, long firstCallNanos, long laterCalls, long laterNanos, long laterPinCallNanos) {
        this.hook = hook;
        this.firstCallNanos = firstCallNanos;
        this.laterCalls = laterCalls;
        this.laterNanos = laterNanos;
        this.laterPinCallNanos = laterPinCallNanos;
    }

    public String getHook() {
        return hook;
    }

    public long getFirstCallNanos() {
        return firstCallNanos;
    }

    public long getLaterCalls() {
        return laterCalls;
    }

    public long getLaterNanos() {
        return laterNanos;
    }

    /** Of {@link #getLaterNanos}, the time in the pin call. */
    public long getLaterPinCallNanos() {
        return laterPinCallNanos;
    }

    /** The mean of the calls after the first, in microseconds, pin call included; 0 when there was none. */
    public double getLaterMeanMicros() {
        return perCall(laterNanos);
    }

    /** The mean of the agent's own work per call after the first (everything but the pin call), in microseconds. */
    public double getLaterOwnMeanMicros() {
        return perCall(Math.max(0, laterNanos - laterPinCallNanos));
    }

    /** The mean time in the pin call per call after the first, in microseconds. */
    public double getLaterPinCallMeanMicros() {
        return perCall(laterPinCallNanos);
    }

    private double perCall(long nanos) {
        return laterCalls == 0 ? 0 : nanos / 1000.0 / laterCalls;
    }
}
