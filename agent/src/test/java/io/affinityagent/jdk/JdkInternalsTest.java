package io.affinityagent.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JdkInternalsTest {

    @Test
    void thisJdkHasEveryInternalTheAgentNeeds() {
        List<JdkInternals.Internal> internals = JdkInternals.ofThisJdk();
        assertThat(internals).noneMatch(JdkInternals.Internal::missing);
        assertThat(internals).extracting(JdkInternals.Internal::name)
                .contains("ThreadPoolExecutor.runWorker(Worker)", "ForkJoinPool.deregisterWorker(ForkJoinWorkerThread, Throwable)",
                        "ThreadPoolExecutor.processWorkerExit(Worker, boolean)",
                        "jdk.internal.vm.VMSupport.agentProps", "Thread.tid", "ForkJoinWorkerThread.pool");
        assertThat(JdkInternals.summary(internals)).startsWith(Runtime.version() + ": ").endsWith(" present");
        // Optional: the thread-start event comes through the native helper, which this jar has for x86-64 and aarch64.
        boolean helperHere = List.of("amd64", "aarch64").contains(System.getProperty("os.arch"));
        assertThat(internals).filteredOn(i -> i.name().equals(ThreadStartWatch.NAME)).singleElement()
                .satisfies(i -> assertThat(i.optional()).isTrue())
                .satisfies(i -> assertThat(i.present()).isEqualTo(helperHere));
        boolean virtualThreads = Runtime.version().feature() >= 21;
        assertThat(internals).filteredOn(i -> i.name().equals(ThreadClassifier.CARRIER_THREAD_CLASS)).singleElement()
                .satisfies(i -> assertThat(i.present()).isEqualTo(virtualThreads));
    }

    @Test
    void aMissingInternalIsNamedInTheSummary() {
        List<JdkInternals.Internal> internals = List.of(
                new JdkInternals.Internal("ThreadPoolExecutor.runWorker", "hooked", false, false),
                new JdkInternals.Internal("jdk.internal.misc.CarrierThread", "carriers", false, true),
                new JdkInternals.Internal("Thread.tid", "ids", true, false));
        assertThat(JdkInternals.summary(internals)).isEqualTo(Runtime.version() + ": missing ThreadPoolExecutor.runWorker");
    }
}
