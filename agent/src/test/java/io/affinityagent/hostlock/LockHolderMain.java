package io.affinityagent.hostlock;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Paths;
import net.openhft.affinity.lockchecker.FileLockBasedLockChecker;
import net.openhft.affinity.lockchecker.LockChecker;

/**
 * A second process for the lock tests: {@code openhft DIR CPU} locks as OpenHFT's AffinityLock
 * does (its checker, in {@code java.io.tmpdir}, the pid as meta), {@code agent DIR CPU} as the
 * agent does. Prints {@code locked true|false}, then releases on a {@code release} line and
 * exits at the end of its input.
 */
public final class LockHolderMain {

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String dir = args[1];
        int cpu = Integer.parseInt(args[2]);
        long pid = ProcessHandle.current().pid();
        boolean locked;
        LockChecker openhft = null;
        HostCpuLocks agent = null;
        if (mode.equals("openhft")) {
            System.setProperty("java.io.tmpdir", dir);
            openhft = FileLockBasedLockChecker.getInstance();
            locked = openhft.obtainLock(cpu, Long.toString(pid)); // what LockCheck.updateCpu does
        } else {
            agent = OpenHftLockFiles.open(Paths.get(dir), pid);
            locked = agent.acquire(cpu, "rule=child");
        }
        System.out.println("locked " + locked);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("release")) {
                if (openhft != null) {
                    openhft.releaseLock(cpu);
                } else {
                    agent.release(cpu);
                }
                System.out.println("released");
                System.out.flush();
            }
        }
    }
}
