package io.affinityagent.nativefile;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A native library loaded from a copy of its own on disk that nothing leaves behind: written into
 * a new directory under java.io.tmpdir that only this user may enter, as a file no one else may
 * read, loaded, and both deleted at once (the mapping stays). java.io only, whose classes the JVM
 * has loaded before any agent runs.
 *
 * <p>At JVM start the agent loads its helper beside the application, on daemon threads, and an
 * application that ends meanwhile does not let a daemon thread reach its finally. So a copy is
 * made under a lock that a shutdown hook takes too: a JVM that exits while a copy is on disk waits
 * the moment it takes to delete it, and one that has begun to exit lets no copy be made.
 *
 * <p>An agent JVM runs two copies of this class: the launcher's, on the application's class path
 * (the start's priority, launcher.StartPriority), and the agent's own, in its isolated loader (the
 * helper in java.base, os.NativeHelper). The jar carries it at its root and in its class pack.
 */
public final class PrivateLibraryCopy {

    /** Loads the library at a path: {@code System.load}, called from the class its functions are for. */
    public interface Loader {
        void load(String path) throws Throwable;
    }

    private static final Object COPYING = new Object();
    /** The shutdown hook is registered; guarded by COPYING. */
    private static boolean exitWaits;
    /** The JVM has begun to exit: no copy is made any more; guarded by COPYING. */
    private static boolean exiting;

    private PrivateLibraryCopy() {
    }

    /**
     * Copies {@code library} to {@code fileName} in a new directory named {@code dirPrefix}, the
     * process id and a clock reading, has {@code loader} load it, and deletes both.
     */
    public static void load(InputStream library, String fileName, String dirPrefix, Loader loader) throws IOException {
        synchronized (COPYING) {
            if (!exitWaitsForCopies()) {
                throw new IOException("the JVM is exiting: no copy of " + fileName + " is made");
            }
            File dir = newPrivateDirectory(dirPrefix);
            File file = new File(dir, fileName);
            try {
                // Created new (O_EXCL), so a name someone made before the directory was owner-only makes it refuse.
                if (!file.createNewFile() || !ownerOnly(file)) {
                    throw new IOException("cannot create " + file + " as a new owner-only file");
                }
                try (OutputStream out = new FileOutputStream(file)) {
                    library.transferTo(out);
                }
                loader.load(file.getPath());
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException(t);
            } finally {
                file.delete();
                dir.delete();
            }
        }
    }

    /** Under COPYING: registers the hook once; false once the JVM has begun to exit. */
    private static boolean exitWaitsForCopies() {
        if (!exitWaits && !exiting) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(null, new ExitGate(), "affinity-agent-exit", 0, false));
                exitWaits = true;
            } catch (IllegalStateException shutdownInProgress) {
                exiting = true;
            } catch (SecurityException refused) {
                return true; // copies as before the hook: deleted unless the JVM ends in between
            }
        }
        return !exiting;
    }

    /** At the JVM's exit: waits for a copy being made to be gone, and lets no other be made. */
    private static final class ExitGate implements Runnable {
        @Override
        public void run() {
            synchronized (COPYING) {
                exiting = true;
            }
        }
    }

    /** A new directory, then made the owner's alone; named from the pid (from /proc, without starting anything) and the clock. */
    private static File newPrivateDirectory(String prefix) throws IOException {
        File tmp = new File(System.getProperty("java.io.tmpdir", "/tmp"));
        String pid = new File("/proc/self").getCanonicalFile().getName();
        for (int attempt = 0; ; attempt++) {
            File dir = new File(tmp, prefix + pid + "-" + Long.toHexString(System.nanoTime()));
            if (dir.mkdir()) {
                if (!ownerOnly(dir) || !dir.setExecutable(true, true)) {
                    dir.delete();
                    throw new IOException("cannot make " + dir + " the owner's alone");
                }
                return dir;
            }
            if (attempt == 100) { // the path first, as java.nio says it
                throw new IOException(tmp + (tmp.isDirectory() ? ": cannot create a directory in it (is it writable?)"
                        : ": no such directory (java.io.tmpdir)"));
            }
        }
    }

    /** rw for the owner, nothing for anyone else. */
    private static boolean ownerOnly(File f) {
        return f.setReadable(false, false) && f.setWritable(false, false) && f.setExecutable(false, false)
                && f.setReadable(true, true) && f.setWritable(true, true);
    }
}
