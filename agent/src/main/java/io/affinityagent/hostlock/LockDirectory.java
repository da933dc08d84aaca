package io.affinityagent.hostlock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Where lock files live and what is wrong with a folder for them. The default is OpenHFT's: the
 * JVM's {@code java.io.tmpdir} (usually {@code /tmp}), so a JVM with the agent and a JVM using
 * {@code AffinityLock} see each other's locks with no setting at all.
 */
public final class LockDirectory {

    private LockDirectory() {
    }

    /** {@code lock-dir} when given, else OpenHFT's default. */
    public static Path resolve(Path configured) {
        if (configured != null) {
            return configured;
        }
        return Paths.get(System.getProperty("java.io.tmpdir", "/tmp"));
    }

    /** The lock file of one CPU: OpenHFT's name. */
    public static Path lockFile(Path directory, int cpu) {
        return directory.resolve("cpu-" + cpu + ".lock");
    }

    /**
     * What a user must hear about the folder, or null when it is fit: missing, not a folder, not
     * writable by this user, or writable by every user without the sticky bit (then anyone may
     * delete a held lock file and take its CPU while the holder still runs on it).
     */
    public static String problem(Path directory) {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return "lock folder " + directory + " does not exist; create it (see the README: exclusive CPUs)";
        }
        if (!Files.isDirectory(directory)) {
            return "lock folder " + directory + " is not a folder";
        }
        if (!Files.isWritable(directory)) {
            return "lock folder " + directory + " is not writable by this user: no CPU can be locked";
        }
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(directory);
            int mode = ((Integer) Files.getAttribute(directory, "unix:mode")).intValue();
            boolean sticky = (mode & 01000) != 0;
            if (p.contains(PosixFilePermission.OTHERS_WRITE) && !sticky) {
                return "lock folder " + directory + " is writable by every user and not sticky: anyone can delete a"
                        + " lock file and take a held CPU; chmod +t it, or use a folder of one group (mode 2770)";
            }
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return null; // not a POSIX file system: nothing more to say
        }
        return null;
    }
}
