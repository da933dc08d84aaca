package io.affinityagent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge is the last line: whatever the agent's handlers throw (an exception, an error),
 * the JDK method that called the bridge carries on as if nothing happened.
 */
class WorkerHooksTest {

    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger exits = new AtomicInteger();

    @AfterEach
    void detach() {
        WorkerHooks.onWorkerStart = null;
        WorkerHooks.onWorkerExit = null;
    }

    private void handlersThrowing(Throwable t) {
        WorkerHooks.onWorkerStart = new BiConsumer<Object, Thread>() {
            @Override
            public void accept(Object pool, Thread worker) {
                starts.incrementAndGet();
                throwUnchecked(t);
            }
        };
        WorkerHooks.onWorkerExit = new Consumer<Thread>() {
            @Override
            public void accept(Thread worker) {
                exits.incrementAndGet();
                throwUnchecked(t);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void throwUnchecked(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void everyEntryPointSwallowsWhatTheHandlersThrow() throws Exception {
        for (Throwable t : new Throwable[] {new IllegalStateException("agent bug"), new NoClassDefFoundError("agent jar gone"),
            new StackOverflowError(), new Exception("checked, thrown sneakily")}) {
            handlersThrowing(t);

            WorkerHooks.threadPoolWorkerStarting(new Object());
            WorkerHooks.threadPoolWorkerExiting();
            WorkerHooks.forkJoinWorkerExiting(Thread.currentThread());
            ForkJoinPool pool = new ForkJoinPool(1);
            try {
                pool.submit(() -> {
                    assertThat(Thread.currentThread()).isInstanceOf(ForkJoinWorkerThread.class);
                    WorkerHooks.forkJoinWorkerStarting(Thread.currentThread());
                }).get(30, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(starts).as("start handler calls").hasValue(8);
        assertThat(exits).as("exit handler calls").hasValue(8);
    }

    @Test
    void withoutHandlersTheHooksDoNothing() {
        WorkerHooks.threadPoolWorkerStarting(new Object());
        WorkerHooks.threadPoolWorkerExiting();
        WorkerHooks.forkJoinWorkerStarting(Thread.currentThread());
        WorkerHooks.forkJoinWorkerExiting(null);
        assertThat(starts).hasValue(0);
        assertThat(exits).hasValue(0);
    }
}
