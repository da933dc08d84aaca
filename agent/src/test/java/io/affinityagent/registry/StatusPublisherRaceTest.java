package io.affinityagent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.config.ThreadNameGlob;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.placement.RoundRobinPlacement;
import io.affinityagent.testing.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two workers of one rule start at once, and each publishes the rule's loads afterwards. Whatever
 * the interleaving, the last value published must be the rule's state after both: a value
 * computed before the other worker's change must never land after it.
 */
class StatusPublisherRaceTest {

    private static final Rule HOT = new Rule("hot", new ThreadNameGlob("hot-*"), null, null, null, CpuSet.range(0, 1),
            Strategy.ROUND_ROBIN);

    /**
     * Properties whose first write of the rule from the "slow" thread waits until the "fast"
     * thread has either published the rule itself or is blocked waiting to: the widest possible
     * gap between computing the value and storing it.
     */
    static final class SlowSink extends java.util.Properties {
        private static final long serialVersionUID = 1L;
        final CountDownLatch slowComputed = new CountDownLatch(1);
        volatile Thread fast;
        volatile boolean fastPublished;
        private boolean slowWaited;

        @Override
        public Object setProperty(String key, String value) {
            boolean ruleKey = key.equals(StatusPublisher.RULE + "hot");
            if (ruleKey && Thread.currentThread().getName().equals("hot-slow") && !slowWaited) {
                slowWaited = true;
                slowComputed.countDown();
                Await.until("the fast worker to publish, or to wait for the slow one", Duration.ofSeconds(30),
                        () -> fastPublished || fast != null && fast.getState() == Thread.State.BLOCKED);
            }
            Object previous = super.setProperty(key, value);
            if (ruleKey && Thread.currentThread() == fast) {
                fastPublished = true;
            }
            return previous;
        }
    }

    @Test
    void theLastPublishedLoadsAreTheRulesStateAfterBothStarts() throws Exception {
        SlowSink sink = new SlowSink();
        StatusPublisher status = new StatusPublisher(sink);
        RoundRobinPlacement placement = RoundRobinPlacement.onePerCpu(CpuSet.range(0, 1));
        RuleCounters counters = new WorkerRegistry().counters("hot");

        Thread slow = new Thread(() -> {
            placement.acquire();
            status.ruleChanged(HOT, placement, counters); // computes "1,0", then is held up
        }, "hot-slow");
        Thread fast = new Thread(() -> {
            placement.acquire();
            status.ruleChanged(HOT, placement, counters); // computes "1,1"
        }, "hot-fast");
        sink.fast = fast;
        slow.start();
        assertThat(sink.slowComputed.await(30, TimeUnit.SECONDS)).isTrue();
        fast.start();
        slow.join(TimeUnit.SECONDS.toMillis(30));
        fast.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(placement.loads()).containsExactly(1, 1);
        assertThat(sink.getProperty(StatusPublisher.RULE + "hot")).contains(" loads=1,1 ");
    }
}
