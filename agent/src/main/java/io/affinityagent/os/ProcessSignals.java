package io.affinityagent.os;

import java.io.IOException;

/**
 * Signals to another process, through the agent's JNI helper (the JDK sends none but SIGTERM
 * and SIGKILL): the command line's attach request is a SIGQUIT to the JVM.
 */
public final class ProcessSignals {

    /** What a HotSpot JVM takes as "start your attach listener" (once it finds its trigger file). */
    public static final int SIGQUIT = 3;

    private static final int ESRCH = 3;
    private static final int EPERM = 1;

    private final NativeHelper helper;

    private ProcessSignals(NativeHelper helper) {
        this.helper = helper;
    }

    /**
     * Loads the helper through {@code nativeCalls} (bootstrap.NativeCalls); throws, with the
     * reason, where the jar carries no helper for this machine.
     */
    public static ProcessSignals load(Class<?> nativeCalls) throws IOException, ReflectiveOperationException {
        return new ProcessSignals(NativeHelper.load(nativeCalls, System.getProperty("os.arch")));
    }

    /** Whether this jar carries the helper for this machine (no signal can be sent without it). */
    public static boolean available() {
        return NativeHelper.carriedFor(System.getProperty("os.arch"));
    }

    /** kill(pid, signal); throws with the reason in words when the kernel refuses. */
    public void send(long pid, int signal) throws IOException {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IOException("no process " + pid);
        }
        int errno = helper.kill((int) pid, signal);
        if (errno == ESRCH) {
            throw new IOException("no process " + pid);
        } else if (errno == EPERM) {
            throw new IOException("not allowed to signal process " + pid + " (another user's)");
        } else if (errno != 0) {
            throw new IOException("kill(" + pid + ", " + signal + ") failed: errno " + errno);
        }
    }
}
