package io.affinityagent.os;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;

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
     * Loads the library for this machine's architecture through {@code calls}: copied from the
     * jar into a private directory (mode 700) as an owner-only file (600), loaded, then deleted
     * at once (the mapping stays), so the agent leaves no file behind.
     */
    static NativeHelper load(Class<?> calls, String arch) throws IOException, ReflectiveOperationException {
        try (InputStream in = NativeHelper.class.getResourceAsStream(resource(arch))) {
            if (in == null) {
                throw new IOException("this agent jar has no native helper for linux-" + arch
                        + " (it carries the ones for linux-amd64 and linux-aarch64)");
            }
            Path dir = privateDirectory();
            Path file = dir.resolve(LIBRARY);
            try {
                // Created new (O_EXCL) in a directory only we may enter, then made owner-only
                // whatever the process's umask. java.io rather than a file channel: see ProcFs.read.
                File created = file.toFile();
                if (!created.createNewFile() || !ownerOnly(created)) {
                    throw new IOException("cannot create " + file + " as a new owner-only file");
                }
                try (OutputStream out = new FileOutputStream(created)) {
                    in.transferTo(out);
                }
                MethodHandles.lookup().findStatic(calls, "load", MethodType.methodType(void.class, String.class))
                        .invoke(file.toString());
            } catch (IOException | ReflectiveOperationException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException(t);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        }
        return new NativeHelper(calls);
    }

    /** rw for the owner, nothing for anyone else. */
    private static boolean ownerOnly(File f) {
        return f.setReadable(false, false) && f.setWritable(false, false) && f.setExecutable(false, false)
                && f.setReadable(true, true) && f.setWritable(true, true);
    }

    /**
     * A new directory only we may enter. Named from the pid and the clock rather than with
     * Files.createTempDirectory, whose SecureRandom costs the JVM 20 ms at start-up; the pid
     * comes from /proc, since ProcessHandle.current() starts a thread pool of the JDK's own.
     */
    private static Path privateDirectory() throws IOException {
        Path tmp = Paths.get(System.getProperty("java.io.tmpdir", "/tmp"));
        long pid = ProcFs.system().selfPid();
        for (int attempt = 0; ; attempt++) {
            Path dir = tmp.resolve("affinity-agent-" + pid + "-" + Long.toHexString(System.nanoTime()));
            try {
                return Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
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
