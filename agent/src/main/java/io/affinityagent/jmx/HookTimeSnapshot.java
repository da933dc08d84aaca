package io.affinityagent.jmx;

import javax.management.ConstructorParameters;

/** One hook's share of the agent's own time: its first call (with the one-off set-up), then the calls after it. */
public final class HookTimeSnapshot {

    private final String hook;
    private final long firstCallNanos;
    private final long laterCalls;
    private final long laterNanos;

    @ConstructorParameters({"hook", "firstCallNanos", "laterCalls", "laterNanos"})
    public HookTimeSnapshot(String hook, long firstCallNanos, long laterCalls, long laterNanos) {
        this.hook = hook;
        this.firstCallNanos = firstCallNanos;
        this.laterCalls = laterCalls;
        this.laterNanos = laterNanos;
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

    /** The mean of the calls after the first, in microseconds; 0 when there was none. */
    public double getLaterMeanMicros() {
        return laterCalls == 0 ? 0 : laterNanos / 1000.0 / laterCalls;
    }
}
