package io.affinityagent.it;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Assumptions;

/**
 * The two CPUs the tests pin to: the first two of those this process may use (its affinity
 * mask, which the target JVMs inherit), never fixed numbers, so that the tests pass on any
 * machine: CPUs 0-1 of a 2-CPU VM, 0 and 1 of a 64-CPU server, 3 and 5 of a container given
 * those. A test that needs two CPUs gets them here, and is skipped (a JUnit assumption, with the
 * reason) where the process may use only one.
 */
public final class TwoCpus {

    /** The first CPU this process may use, and the second. */
    public final int cpu0;
    public final int cpu1;
    /** The same as strings, as /proc and the agent write a one-CPU list. */
    public final String s0;
    public final String s1;
    /** Both in kernel list form, as the agent prints a rule's CPUs: "0-1", "3,5". */
    public final String both;

    private TwoCpus(int cpu0, int cpu1) {
        this.cpu0 = cpu0;
        this.cpu1 = cpu1;
        this.s0 = Integer.toString(cpu0);
        this.s1 = Integer.toString(cpu1);
        this.both = CpuSet.of(cpu0, cpu1).toString();
    }

    /** The first two CPUs this process may use; skips the test where it may use only one. */
    public static TwoCpus get() {
        CpuSet cpus = allowed();
        Assumptions.assumeTrue(cpus.size() >= 2, "needs 2 CPUs; this process may use only CPU " + cpus);
        return new TwoCpus(cpus.nth(0), cpus.nth(1));
    }

    /** The first CPU this process may use (for the tests that need only one). */
    public static int first() {
        return allowed().first();
    }

    /** Every CPU this process may use, from /proc/self/status. */
    public static CpuSet allowed() {
        try {
            return ProcFs.system().processAllowedCpus(ProcessHandle.current().pid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "CPUs " + both;
    }
}
