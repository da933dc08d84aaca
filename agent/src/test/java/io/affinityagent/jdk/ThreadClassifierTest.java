package io.affinityagent.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import org.junit.jupiter.api.Test;

class ThreadClassifierTest {

    /** An application's own worker class, as a ForkJoinWorkerThreadFactory may make. */
    private static final class OwnWorker extends ForkJoinWorkerThread {
        OwnWorker(ForkJoinPool pool) {
            super(pool);
        }
    }

    @Test
    void aForkJoinWorkerIsToldByItsClassesNamesSubclassesIncluded() {
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            assertThat(ThreadClassifier.isForkJoinWorker(new OwnWorker(pool))).isTrue();
            assertThat(ThreadClassifier.isForkJoinWorker(new Thread(() -> { }))).isFalse();
            assertThat(ThreadClassifier.isForkJoinWorker(new Thread(() -> { }) { })).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }
}
