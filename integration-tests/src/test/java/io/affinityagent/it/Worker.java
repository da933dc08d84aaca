package io.affinityagent.it;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A worker a test application reported ({@code WORKER pool name tid cpus}), and what the kernel
 * says about it now, read from outside the JVM through /proc.
 */
public final class Worker {

    private final long pid;
    private final String pool;
    private final String name;
    private final int tid;

    Worker(long pid, String pool, String name, int tid) {
        this.pid = pid;
        this.pool = pool;
        this.name = name;
        this.tid = tid;
    }

    static Worker parse(long pid, String line) {
        String[] f = line.split(" ");
        return new Worker(pid, f[1], f[2], Integer.parseInt(f[3]));
    }

    public String pool() {
        return pool;
    }

    public String name() {
        return name;
    }

    public int tid() {
        return tid;
    }

    /** Cpus_allowed_list of /proc/PID/task/TID/status, now. */
    public CpuSet allowedCpus() {
        try {
            return ProcFs.system().threadAllowedCpus(pid, tid);
        } catch (IOException e) {
            throw new UncheckedIOException(name + " (tid " + tid + ") is gone", e);
        }
    }

    public boolean isAlive() {
        return ProcFs.system().thread(pid, tid) != null;
    }

    @Override
    public String toString() {
        return name + " (tid " + tid + ")";
    }
}
