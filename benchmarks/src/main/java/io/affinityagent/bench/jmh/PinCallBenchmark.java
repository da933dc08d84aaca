package io.affinityagent.bench.jmh;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.AffinityException;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import net.openhft.affinity.impl.LinuxHelper;
import net.openhft.affinity.impl.LinuxJNAAffinity;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One set-affinity call on the calling thread, to the mask it already has (so no migration is
 * measured, only the call): the agent's JNI helper, as the agent calls it (CpuSet to mask words,
 * a method handle, JNI, sched_setaffinity), against OpenHFT's LinuxHelper and LinuxJNAAffinity
 * (JNA, which builds a cpu_set_t Structure per call). No agent in these forks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class PinCallBenchmark {

    CpuAffinity agentJni;
    CpuSet mask;
    BitSet bits;

    @Setup
    public void setup() throws AffinityException {
        agentJni = CpuAffinities.load(NativeCalls.class);
        if (!agentJni.isSupported()) {
            throw new IllegalStateException(agentJni.unsupportedReason());
        }
        mask = agentJni.getCurrentThread();
        bits = new BitSet();
        for (int cpu : mask.toArray()) {
            bits.set(cpu);
        }
    }

    @Benchmark
    public void agentJniHelper() throws AffinityException {
        agentJni.setCurrentThread(mask);
    }

    @Benchmark
    public void openhftLinuxHelper() {
        LinuxHelper.sched_setaffinity(bits);
    }

    @Benchmark
    public void openhftLinuxJnaAffinity() {
        LinuxJNAAffinity.INSTANCE.setAffinity(bits);
    }
}
