package io.affinityagent.hostlock;

import java.io.File;
import java.nio.file.Path;
import net.openhft.affinity.lockchecker.FileLockBasedLockChecker;

/**
 * OpenHFT's own lock checker (locking, stale-file clean-up, the file's content) with the folder
 * set: OpenHFT 3.27 reads it from {@code java.io.tmpdir} at each call, a property of the whole
 * JVM that the agent must not change; {@code toFile} is the one place it is decided.
 */
final class DirectoryLockChecker extends FileLockBasedLockChecker {

    private final Path directory;

    DirectoryLockChecker(Path directory) {
        this.directory = directory;
    }

    @Override
    protected File toFile(int id) {
        return LockDirectory.lockFile(directory, id).toFile();
    }
}
