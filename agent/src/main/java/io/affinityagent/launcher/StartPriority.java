package io.affinityagent.launcher;

import io.affinityagent.nativefile.PrivateLibraryCopy;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A low CPU priority (nice 10) for the thread that does the private part of the agent's start at
 * JVM start, from its first instruction: where the application starts on the same CPUs, its
 * threads go first (benchmarks/RESULTS.md, "Start-up: the start's first part at a low priority").
 *
 * <p>It has to happen before the agent's own loader exists, so the launcher loads the native
 * helper itself, its own copy, for this one call. Only on JDK 17 to 23: from JDK 24 a library
 * loaded by a class on the application's class path makes the JVM print a restricted-method
 * warning (JEP 472), which an agent must not cause; there the whole start runs at the JVM's
 * priority, as it does where the jar has no helper for the CPU.
 */
final class StartPriority {

    /** Where the jar keeps the helper for an architecture ({@code {arch}}: os.arch). */
    static final String HELPER_ENTRY = "inst/io/affinityagent/os/native/linux-{arch}/libaffinityagent.so";
    static final String LIBRARY = "libaffinityagent.so";
    /**
     * The start's nice value: a tenth of the CPU time a thread at nice 0 gets when they compete
     * (the kernel's weights: 110 against 1024). Nice 19 would get a seventieth, and an application
     * that keeps every CPU busy from its first moment would leave its workers unpinned for seconds.
     */
    static final int START_NICE = 10;
    /** The first JDK that warns when the application's class path loads native code. */
    static final int FIRST_JDK_THAT_WARNS = 24;

    private static final Object LOAD = new Object();
    /** 1 loaded, -1 cannot be; guarded by LOAD. */
    private static int loaded;

    private StartPriority() {
    }

    /** Whether this JVM can lower a thread's priority from the launcher: Linux, JDK 17 to 23. */
    static boolean possibleHere() {
        return System.getProperty("os.name", "").startsWith("Linux")
                && Runtime.version().feature() < FIRST_JDK_THAT_WARNS;
    }

    /**
     * Gives the calling thread nice 10 ({@link #START_NICE}), or keeps the higher nice value the
     * JVM was started with, loading the helper from {@code jar} on the first call; false when it
     * cannot, said nowhere: the start then runs at the JVM's priority, as it always did. For
     * good: a thread cannot take its priority back without CAP_SYS_NICE, and the threads it starts
     * inherit it, so the caller is a thread made for this work and ended after it.
     */
    static boolean lowerCurrentThread(File jar) {
        try {
            return load(jar) && lowerTo(START_NICE) == 0;
        } catch (Throwable t) { // UnsatisfiedLinkError, SecurityException...: the start goes on as before
            return false;
        }
    }

    private static boolean load(File jar) throws IOException {
        synchronized (LOAD) {
            if (loaded == 0) {
                loaded = -1;
                // The jar file itself, not a class loader's resource, whose URL handlers load classes nothing else here needs.
                try (JarFile file = new JarFile(jar, false)) {
                    JarEntry entry = file.getJarEntry(HELPER_ENTRY.replace("{arch}", System.getProperty("os.arch", "")));
                    if (entry != null) {
                        try (InputStream in = file.getInputStream(entry)) {
                            // Not the file the agent loads later from java.base: a library loads into one class loader only.
                            PrivateLibraryCopy.load(in, LIBRARY, "affinity-agent-start-", new PrivateLibraryCopy.Loader() {
                                @Override
                                public void load(String path) {
                                    System.load(path);
                                }
                            });
                        }
                        loaded = 1;
                    }
                }
            }
            return loaded == 1;
        }
    }

    /** The calling thread's nice value raised to {@code nice} if it is below (setpriority); 0 or errno. */
    static native int lowerTo(int nice);
}
