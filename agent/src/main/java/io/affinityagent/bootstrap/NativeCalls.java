package io.affinityagent.bootstrap;

/**
 * The agent's native helper (src/main/c/affinity_syscalls.c): the Linux calls it needs, as
 * JNI methods. Errors come back as errno values, never as exceptions.
 *
 * <p>Like {@link WorkerHooks}, this class is defined, renamed, inside {@code java.base}
 * ({@code jdk.internal.misc.AffinityAgentNativeCalls}), and the library is loaded from there:
 * java.base may load native code, so on JDK 22+ no restricted-method warning is printed and the
 * user needs no --enable-native-access flag. JDK types only; no lambdas, no nested classes.
 */
public final class NativeCalls {

    private NativeCalls() {
    }

    /** Loads the helper library from a file; its functions then back the methods below. */
    public static void load(String path) {
        System.load(path);
    }

    /** sched_setaffinity(tid, mask); 0 or errno. tid 0 is the calling thread. */
    public static native int setAffinity(int tid, long[] mask);

    /** sched_getaffinity(tid) into mask; 0 or errno (EINVAL: the kernel's mask is larger). */
    public static native int getAffinity(int tid, long[] mask);

    /**
     * sched_setaffinity(0, the one-word mask of CPUs 0-63), then the calling thread's native id:
     * the id, or minus errno. One call where a new worker needs both.
     */
    public static native int pinSelfWord(long mask);

    /** The same with a mask of any size: the calling thread's native id, or minus errno. */
    public static native int pinSelf(long[] mask);

    /** The calling thread's native id. */
    public static native int gettid();

    /** The CPU the calling thread runs on now, or -1. */
    public static native int getcpu();

    /**
     * Turns the JVMTI ThreadStart event on: from now on every new platform thread calls
     * {@code bridge.threadStarted(Thread)} on itself before its {@code run()}, whatever its
     * class overrides. 0, a JNI error (negative, from GetEnv), a JVMTI error (positive), or -1
     * with an exception thrown. One bridge class per loaded helper.
     */
    public static native int watchThreadStarts(Class<?> bridge);

    /** Turns the ThreadStart event off; 0 or a JVMTI error. */
    public static native int unwatchThreadStarts();

    /** kill(pid, signal): the command line's attach request (SIGQUIT); 0 or errno. */
    public static native int kill(int pid, int signal);
}
