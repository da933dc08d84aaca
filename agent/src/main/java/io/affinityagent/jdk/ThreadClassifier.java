package io.affinityagent.jdk;

import io.affinityagent.config.PoolKind;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * What kind of thread a thread is, as far as the config's {@code pool} selector goes: the pool
 * kind of a worker, and whether a thread is virtual (JDK 21+, found without linking to the
 * method, so JDK 17 loads this class too). The virtual-thread scheduler's carriers are told from
 * other ForkJoin workers by the class name of the JDK's {@code CarrierThread}.
 */
public final class ThreadClassifier {

    static final String CARRIER_THREAD_CLASS = "jdk.internal.misc.CarrierThread";
    private static final String FORK_JOIN_WORKER_CLASS = "java.util.concurrent.ForkJoinWorkerThread";
    private static final MethodHandle IS_VIRTUAL = findIsVirtual();

    private ThreadClassifier() {
    }

    /** The kind of pool {@code pool} is, for its worker {@code worker}; null when it is no pool we know. */
    public static PoolKind kindOf(Object pool, Thread worker) {
        if (pool instanceof ThreadPoolExecutor) {
            return PoolKind.THREAD_POOL;
        }
        if (pool instanceof ForkJoinPool) {
            if (worker.getClass().getName().equals(CARRIER_THREAD_CLASS)) {
                return PoolKind.VIRTUAL_SCHEDULER;
            }
            return pool == ForkJoinPool.commonPool() ? PoolKind.COMMON_POOL : PoolKind.FORK_JOIN;
        }
        return null;
    }

    /**
     * Whether {@code t} is a ForkJoinPool worker, told by its classes' names: looking does not
     * load ForkJoinWorkerThread (and hook it) in a JVM that has none.
     */
    public static boolean isForkJoinWorker(Thread t) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(FORK_JOIN_WORKER_CLASS)) {
                return true;
            }
        }
        return false;
    }

    public static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            return false;
        }
    }

    /** Whether this JDK has virtual threads at all. */
    static boolean hasVirtualThreads() {
        return IS_VIRTUAL != null;
    }

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // JDK 17-20: no virtual threads
        }
    }
}
