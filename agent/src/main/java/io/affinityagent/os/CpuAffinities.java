package io.affinityagent.os;

import java.util.Locale;

/** Chooses the {@link CpuAffinity} for this platform, once. */
public final class CpuAffinities {

    private CpuAffinities() {
    }

    /**
     * Linux with the agent's native helper, or an unsupported implementation whose reason says
     * what is missing. Never throws: a platform problem becomes "unsupported", not a failure of
     * the application.
     *
     * @param nativeCalls the class that loads and fronts the native helper: the agent's copy of
     *                    bootstrap.NativeCalls inside java.base, or NativeCalls itself in tests
     */
    public static CpuAffinity load(Class<?> nativeCalls) {
        String os = System.getProperty("os.name", "unknown");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new UnsupportedCpuAffinity("affinity-agent pins threads on Linux only; this JVM runs on " + os);
        }
        try {
            return LinuxCpuAffinity.load(nativeCalls);
        } catch (Throwable t) { // IOException, UnsatisfiedLinkError (a musl libc, say), ...
            return new UnsupportedCpuAffinity("cannot load the agent's native helper on " + os + "/"
                    + System.getProperty("os.arch") + ": " + t.getMessage());
        }
    }
}
