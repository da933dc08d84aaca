package io.affinityagent.cli;

import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What /proc said about every thread of a process at one moment: the counters the live view
 * turns into rates by comparing two samples.
 */
final class LiveSample {

    private final long nanoTime;
    private final Map<Integer, ProcFs.ThreadCounters> threads;

    LiveSample(long nanoTime, List<ProcFs.ThreadCounters> threads) {
        this.nanoTime = nanoTime;
        Map<Integer, ProcFs.ThreadCounters> byTid = new LinkedHashMap<>();
        for (ProcFs.ThreadCounters t : threads) {
            byTid.put(t.info().tid(), t);
        }
        this.threads = Collections.unmodifiableMap(byTid);
    }

    /** Every thread of the process now; empty when the process is gone. */
    static LiveSample read(ProcFs procFs, long pid) throws IOException {
        long before = System.nanoTime();
        List<ProcFs.ThreadCounters> threads = procFs.threadCounters(pid);
        // The middle of the read: what the counters are closest to, for a process of many threads.
        return new LiveSample(before + (System.nanoTime() - before) / 2, threads);
    }

    long nanoTime() {
        return nanoTime;
    }

    /** By native id, ascending (the order threads were created in, until ids wrap). */
    Map<Integer, ProcFs.ThreadCounters> threads() {
        return threads;
    }

    boolean isEmpty() {
        return threads.isEmpty();
    }
}
