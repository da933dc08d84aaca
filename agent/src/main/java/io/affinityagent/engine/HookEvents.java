package io.affinityagent.engine;

import io.affinityagent.jdk.HookHandlers;
import io.affinityagent.registry.HookTimes;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the bridge in java.base calls: one timed adapter per hook, all of this one class (not
 * lambdas: cheaper at start-up), each handing its event to the {@link PinningEngine} and adding
 * its time to {@link HookTimes}: the hook's wall time, and apart, the part of it the engine spent
 * in the pin call (which the engine returns, so no clock is read twice).
 */
public final class HookEvents implements BiConsumer<Object, Thread>, Consumer<Thread> {

    private final PinningEngine engine;
    private final HookTimes times;
    private final HookTimes.Hook hook;

    private HookEvents(PinningEngine engine, HookTimes times, HookTimes.Hook hook) {
        this.engine = engine;
        this.times = times;
        this.hook = hook;
    }

    /** Every handler the bridge calls, pointing at {@code engine}, timed into {@code times}. */
    public static HookHandlers handlers(PinningEngine engine, HookTimes times) {
        return new HookHandlers(new HookEvents(engine, times, HookTimes.Hook.WORKER_START),
                new HookEvents(engine, times, HookTimes.Hook.WORKER_EXIT),
                new HookEvents(engine, times, HookTimes.Hook.THREAD_RUN),
                new HookEvents(engine, times, HookTimes.Hook.THREAD_START),
                new HookEvents(engine, times, HookTimes.Hook.WORKER_CREATED));
    }

    /** A pool worker starts: (its pool, the worker). */
    @Override
    public void accept(Object pool, Thread worker) {
        long t0 = System.nanoTime();
        long pinCall = 0;
        try {
            pinCall = engine.onWorkerStart(pool, worker);
        } finally {
            times.record(hook, System.nanoTime() - t0, pinCall);
        }
    }

    /** Any other event, about one thread. */
    @Override
    public void accept(Thread thread) {
        long t0 = System.nanoTime();
        long pinCall = 0;
        try {
            switch (hook) {
                case WORKER_EXIT:
                    engine.onWorkerExit(thread);
                    break;
                case THREAD_RUN:
                    pinCall = engine.onThreadRun(thread);
                    break;
                case THREAD_START:
                    engine.onThreadStart(thread);
                    break;
                case WORKER_CREATED:
                    engine.onPoolWorkerCreated(thread);
                    break;
                default:
                    break;
            }
        } finally {
            times.record(hook, System.nanoTime() - t0, pinCall);
        }
    }
}
