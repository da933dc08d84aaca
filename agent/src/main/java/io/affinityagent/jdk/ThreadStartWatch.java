package io.affinityagent.jdk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The JVM's own report of every platform thread start: the JVMTI ThreadStart event, switched on
 * through the agent's native helper (bootstrap.NativeCalls). The JVM posts it on the new thread
 * before that thread runs any Java code of its own, so it reaches the bridge's
 * {@code threadStarted} for a {@code Thread} subclass that overrides {@code run()} without
 * calling {@code super.run()} too, where the hook on Thread.run never gets. While it is on,
 * that hook stays quiet (the bridge's {@code threadStartsWatched}), so no thread is seen twice.
 *
 * <p>Costs nothing at class load (no class is transformed for it) and one upcall per platform
 * thread start (benchmarks/RESULTS.md). Where the helper is not the backend (the OpenHFT/JNA
 * fallback) there is no watch, and Thread.run's hook stays the mechanism.
 */
final class ThreadStartWatch {

    static final String NAME = "JVMTI ThreadStart event (native helper)";
    static final String USED_FOR = "pinning Thread subclasses that override run() as they start";

    private ThreadStartWatch() {
    }

    /**
     * Switches the event on, calling {@code bridge.threadStarted}, then quiets Thread.run's hook.
     * Null when on; else the problem, one sentence.
     *
     * @param nativeCalls the class whose native methods the loaded helper backs
     */
    static String start(Class<?> nativeCalls, Class<?> bridge) {
        int result;
        try {
            result = (int) MethodHandles.lookup()
                    .findStatic(nativeCalls, "watchThreadStarts", MethodType.methodType(int.class, Class.class))
                    .invoke(bridge);
        } catch (Throwable t) { // an older helper (UnsatisfiedLinkError), NoSuchMethodError, ...
            return notWatched(t.toString());
        }
        if (result != 0) {
            return notWatched((result < 0 ? "JNI GetEnv error " : "JVMTI error ") + result);
        }
        try {
            bridge.getField("threadStartsWatched").setBoolean(null, true);
            return null;
        } catch (ReflectiveOperationException e) {
            return notWatched(e.toString());
        }
    }

    private static String notWatched(String why) {
        return "cannot switch on the JVM's thread-start event (" + why + "): a Thread subclass that overrides run()"
                + " is pinned only by an attach, once it runs";
    }
}
