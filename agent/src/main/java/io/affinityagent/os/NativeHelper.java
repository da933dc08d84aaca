package io.affinityagent.os;

import io.affinityagent.nativefile.PrivateLibraryCopy;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The agent's JNI helper library, loaded through its Java face (bootstrap.NativeCalls, as
 * defined in java.base by the agent, or as is in tests) and called through method handles.
 */
final class NativeHelper {

    static final String LIBRARY = "libaffinityagent.so";

    private final MethodHandle setAffinity;
    private final MethodHandle getAffinity;
    private final MethodHandle gettid;
    private final MethodHandle getcpu;
    private final MethodHandle pinSelfWord;
    private final MethodHandle pinSelfWords;
    private final Class<?> calls;

    private NativeHelper(Class<?> calls) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.lookup(); // java.base opened jdk.internal.misc to us
        MethodType maskCall = MethodType.methodType(int.class, int.class, long[].class);
        setAffinity = lookup.findStatic(calls, "setAffinity", maskCall);
        getAffinity = lookup.findStatic(calls, "getAffinity", maskCall);
        gettid = lookup.findStatic(calls, "gettid", MethodType.methodType(int.class));
        getcpu = lookup.findStatic(calls, "getcpu", MethodType.methodType(int.class));
        pinSelfWord = lookup.findStatic(calls, "pinSelfWord", MethodType.methodType(int.class, long.class));
        pinSelfWords = lookup.findStatic(calls, "pinSelf", MethodType.methodType(int.class, long[].class));
        this.calls = calls;
    }

    /** Whether this jar carries the helper for {@code arch} (os.arch). */
    static boolean carriedFor(String arch) {
        return NativeHelper.class.getResource(resource(arch)) != null;
    }

    private static String resource(String arch) {
        return "native/linux-" + arch + "/" + LIBRARY;
    }

    /**
     * Loads the library for this machine's architecture through {@code calls}, from a private
     * copy that is deleted once loaded (nativefile.PrivateLibraryCopy): the agent leaves no file behind.
     */
    static NativeHelper load(Class<?> calls, String arch) throws IOException, ReflectiveOperationException {
        MethodHandle loadThroughCalls = MethodHandles.lookup().findStatic(calls, "load",
                MethodType.methodType(void.class, String.class));
        try (InputStream in = NativeHelper.class.getResourceAsStream(resource(arch))) {
            if (in == null) {
                throw new IOException("this agent jar has no native helper for linux-" + arch
                        + " (it carries the ones for linux-amd64 and linux-aarch64)");
            }
            // A class, not a lambda: the start's path.
            PrivateLibraryCopy.load(in, LIBRARY, "affinity-agent-", new PrivateLibraryCopy.Loader() {
                @Override
                public void load(String path) throws Throwable {
                    loadThroughCalls.invoke(path); // System.load from java.base: no restricted-method warning
                }
            });
        }
        return new NativeHelper(calls);
    }

    int setAffinity(int tid, long[] mask) {
        try {
            return (int) setAffinity.invokeExact(tid, mask);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    int getAffinity(int tid, long[] mask) {
        try {
            return (int) getAffinity.invokeExact(tid, mask);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Pins the calling thread to CPUs 0-63's mask {@code word}: its native id, or minus errno. */
    int pinSelf(long word) {
        try {
            return (int) pinSelfWord.invokeExact(word);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Pins the calling thread to the mask {@code words}: its native id, or minus errno. */
    int pinSelf(long[] words) {
        try {
            return (int) pinSelfWords.invokeExact(words);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    int gettid() {
        try {
            return (int) gettid.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    int getcpu() {
        try {
            return (int) getcpu.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Looked up at each call: only the command line signals, once or twice. */
    int kill(int pid, int signal) {
        try {
            return (int) MethodHandles.lookup().findStatic(calls, "kill",
                    MethodType.methodType(int.class, int.class, int.class)).invokeExact(pid, signal);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
