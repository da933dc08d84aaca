package io.affinityagent.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (no sleep-and-hope): polls it, failing when time is up. */
public final class Await {

    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    /** Runs the collector before each look: for conditions that wait on weak references to clear. */
    public static void untilCollected(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, () -> {
            System.gc();
            return condition.getAsBoolean();
        });
    }
}
