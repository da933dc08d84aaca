package io.affinityagent.jdk;

import java.util.List;

/** A discovery that finds one running pool worker, with the native id a thread dump would give it: for tests of sweeps. */
public final class OneRunningThread implements ThreadDiscovery {

    private final Thread thread;
    private final Object pool;
    private final int nativeId;

    public OneRunningThread(Thread thread, Object pool, int nativeId) {
        this.thread = thread;
        this.pool = pool;
        this.nativeId = nativeId;
    }

    @Override
    public List<RunningThread> running() {
        return List.of(new RunningThread(thread, pool, thread.getId()));
    }

    @Override
    public ThreadDump threadDump() {
        return ThreadDump.parse("\"" + thread.getName() + "\" #" + thread.getId() + " prio=5 os_prio=0 cpu=0.10ms"
                + " elapsed=0.01s tid=0x00007f0000000000 nid=0x" + Integer.toHexString(nativeId) + " waiting on condition\n");
    }
}
