package io.affinityagent.os;

import java.util.Locale;

/** Chooses the {@link CpuAffinity} for this platform, once. */
public final class CpuAffinities {

    private CpuAffinities() {
    }

    /**
     * Linux with the agent's native helper (the jar has it for x86-64 and aarch64); else, or
     * when it cannot be loaded, OpenHFT's JNA binding; else an unsupported implementation whose
     * reason says what is missing. Never throws: a platform problem becomes "unsupported", not a
     * failure of the application.
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
        } catch (Throwable t) { // IOException (no helper for this CPU), UnsatisfiedLinkError, ...
            return withoutHelper("cannot load the agent's native helper: " + messageOf(t));
        }
    }

    /**
     * Where the native helper cannot be used ({@code why}): OpenHFT's JNA binding, or, when that
     * fails too, an unsupported implementation that gives both reasons. Never throws.
     */
    public static CpuAffinity withoutHelper(String why) {
        String arch = System.getProperty("os.arch", "unknown");
        try {
            return OpenHftCpuAffinity.load(arch, ProcFs.system(), why);
        } catch (Throwable t) { // LinkageError from JNA's native part, AffinityException, ...
            return new UnsupportedCpuAffinity(why + "; and the fallback, OpenHFT/JNA on linux-" + arch + ", failed: "
                    + messageOf(t));
        }
    }

    /** Whether the agent carries its native helper for this machine's CPU (os.arch): x86-64 and aarch64. */
    public static boolean nativeHelperCarriedHere() {
        return NativeHelper.carriedFor(System.getProperty("os.arch", "unknown"));
    }

    private static String messageOf(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.toString() : m;
    }
}
