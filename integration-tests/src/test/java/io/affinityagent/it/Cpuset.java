package io.affinityagent.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * A cpuset cgroup of its own for one target JVM, so that a test can take a CPU away from the
 * process after it started, as a container runtime or an operator would: the kernel then refuses
 * any mask made only of that CPU (EINVAL). Needs a writable cpuset hierarchy (cgroup v1 at
 * /sys/fs/cgroup/cpuset, or v2 with the cpuset controller), which means root in practice; {@link
 * #unavailableReason()} says why not otherwise. With v1 the set is made inside the tests' own
 * cpuset (a container's, say), so the target never gets CPUs the tests may not use; v2 allows no
 * child cgroup beside a cgroup's own processes, so there it is made at the top.
 */
final class Cpuset implements AutoCloseable {

    private static final Path V1 = Paths.get("/sys/fs/cgroup/cpuset");
    private static final Path V2 = Paths.get("/sys/fs/cgroup");

    private final Path root;
    private final Path dir;
    private final boolean v2;
    private long member = -1;

    private Cpuset(Path root, Path dir, boolean v2) {
        this.root = root;
        this.dir = dir;
        this.v2 = v2;
    }

    /** Null when a cpuset can be made here, else why not. */
    static String unavailableReason() {
        Path root = hierarchy();
        if (root == null) {
            return "no cpuset cgroup hierarchy (neither v1 at " + V1 + " nor v2 with the cpuset controller)";
        }
        Path parent = parent(root);
        if (!Files.isWritable(parent)) {
            return parent + " is not writable (making a cpuset needs root)";
        }
        return null;
    }

    /** Where a new set goes: with v1, in this process's own cpuset; with v2, at the top. */
    private static Path parent(Path root) {
        if (root == V2) {
            return root;
        }
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/cgroup"))) {
                String[] f = line.split(":", 3); // ID:CONTROLLERS:PATH
                if (f.length == 3 && java.util.Arrays.asList(f[1].split(",")).contains("cpuset")) {
                    String own = f[2].startsWith("/") ? f[2].substring(1) : f[2];
                    Path dir = own.isEmpty() ? root : root.resolve(own);
                    return Files.isDirectory(dir) ? dir : root;
                }
            }
        } catch (IOException e) {
            return root;
        }
        return root;
    }

    private static Path hierarchy() {
        if (Files.isRegularFile(V1.resolve("cpuset.cpus"))) {
            return V1;
        }
        try {
            Path controllers = V2.resolve("cgroup.controllers");
            if (Files.isRegularFile(controllers) && Files.readString(controllers).contains("cpuset")) {
                return V2;
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** A new cpuset with all of its parent's CPUs and memory nodes. */
    static Cpuset create(String name) {
        Path top = hierarchy();
        boolean v2 = top == V2;
        Path root = parent(top);
        Path dir = root.resolve(name + "-" + ProcessHandle.current().pid());
        try {
            if (v2) {
                String enabled = Files.readString(root.resolve("cgroup.subtree_control"));
                if (!enabled.contains("cpuset")) {
                    write(root.resolve("cgroup.subtree_control"), "+cpuset");
                }
            }
            Files.createDirectory(dir);
            Cpuset set = new Cpuset(root, dir, v2);
            if (!v2) { // v1 wants both set before a task may join
                write(dir.resolve("cpuset.cpus"), read(root.resolve("cpuset.cpus")));
                write(dir.resolve("cpuset.mems"), read(root.resolve("cpuset.mems")));
            }
            return set;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the cpuset " + dir, e);
        }
    }

    /** Moves every thread of the process into this cpuset. */
    void add(long pid) {
        write(dir.resolve("cgroup.procs"), Long.toString(pid));
        member = pid;
    }

    /** The CPUs of the set, kernel list syntax; every member thread's mask is cut down to them. */
    void cpus(String cpus) {
        write(dir.resolve("cpuset.cpus"), cpus);
    }

    /** Puts the process back where it was (if it is still there) and removes the set. */
    @Override
    public void close() {
        if (member > 0 && Files.isDirectory(Paths.get("/proc/" + member))) {
            try {
                write(root.resolve("cgroup.procs"), Long.toString(member));
            } catch (UncheckedIOException e) {
                // it exited meanwhile
            }
        }
        Await.until("the cpuset " + dir + " to be empty and removed", Duration.ofSeconds(30), () -> {
            try {
                Files.deleteIfExists(dir);
                return true;
            } catch (IOException e) {
                return false; // EBUSY while the exiting process's threads are still members
            }
        });
    }

    @Override
    public String toString() {
        return dir + (v2 ? " (cgroup v2)" : " (cgroup v1)");
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }

    private static void write(Path file, String value) {
        try {
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write '" + value + "' to " + file, e);
        }
    }
}
