package io.affinityagent.jmx;

import javax.management.ConstructorParameters;

/**
 * A live worker the agent pinned: its names, rule and pool, the CPUs the plan promised it and
 * the CPUs the kernel says it may use (Cpus_allowed_list of /proc/self/task/TID/status) and last
 * ran on, read when asked.
 */
public final class WorkerSnapshot {

    private final String javaName;
    private final long nativeId;
    private final String rule;
    private final String pool;
    private final String promisedCpus;
    private final String kernelCpus;
    private final int lastCpu;

    /**
     * @param pool       thread-pool, fork-join, common-pool, virtual-scheduler or any-thread
     * @param kernelCpus null when not read (yet), or the thread is gone
     * @param lastCpu    -1 when not read
     */
    @ConstructorParameters({"javaName", "nativeId", "rule", "pool", "promisedCpus", "kernelCpus", "lastCpu"})
    public WorkerSnapshot(String javaName, long nativeId, String rule, String pool, String promisedCpus,
                          String kernelCpus, int lastCpu) {
        this.javaName = javaName;
        this.nativeId = nativeId;
        this.rule = rule;
        this.pool = pool;
        this.promisedCpus = promisedCpus;
        this.kernelCpus = kernelCpus;
        this.lastCpu = lastCpu;
    }

    /** What the agent knows, before the kernel is asked. */
    public static WorkerSnapshot of(String javaName, long nativeId, String rule, String pool, String promisedCpus) {
        return new WorkerSnapshot(javaName, nativeId, rule, pool, promisedCpus, null, -1);
    }

    WorkerSnapshot withKernel(String cpus, int last) {
        return new WorkerSnapshot(javaName, nativeId, rule, pool, promisedCpus, cpus, last);
    }

    public String getJavaName() {
        return javaName;
    }

    public long getNativeId() {
        return nativeId;
    }

    public String getRule() {
        return rule;
    }

    public String getPool() {
        return pool;
    }

    public String getPromisedCpus() {
        return promisedCpus;
    }

    public String getKernelCpus() {
        return kernelCpus;
    }

    public int getLastCpu() {
        return lastCpu;
    }

    /** Whether the kernel's mask is the one the plan promised (false when something else changed it). */
    public boolean isWherePromised() {
        return promisedCpus != null && promisedCpus.equals(kernelCpus);
    }
}
