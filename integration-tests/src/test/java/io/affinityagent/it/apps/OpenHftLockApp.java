package io.affinityagent.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import net.openhft.affinity.AffinityLock;

/**
 * An application that takes a CPU the way OpenHFT-based code (Chronicle) does:
 * {@code AffinityLock.acquireLock()}, with the library and JNA on its class path and its lock
 * folder in {@code java.io.tmpdir}. Prints {@code LOCKED <cpu> <bound>} (cpu -1 when OpenHFT found
 * no CPU free), releases on a {@code release} line, exits on {@code exit} or at the end of its input.
 */
public final class OpenHftLockApp {

    public static void main(String[] args) throws Exception {
        AffinityLock lock = AffinityLock.acquireLock();
        System.out.println("LOCKED " + lock.cpuId() + " " + lock.isBound());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("exit")) {
                return;
            }
            if (line.equals("release")) {
                lock.release();
                System.out.println("OK release");
                System.out.flush();
            }
        }
    }
}
