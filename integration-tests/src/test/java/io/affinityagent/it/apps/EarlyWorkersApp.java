package io.affinityagent.it.apps;

import io.affinityagent.it.agents.StartGateAgent;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;

/**
 * Starts a pool's two workers first thing in {@code main}, while affinity-agent's start is held
 * back (by {@link StartGateAgent}, when it is there); then lets the agent start, and says READY
 * once it has.
 */
public final class EarlyWorkersApp {

    private EarlyWorkersApp() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService early = TwoWorkers.start("early", "early-"); // each reports the CPUs it starts on
        Object gate = System.getProperties().get(StartGateAgent.GATE); // none with start=before-main
        if (gate != null) {
            ((CountDownLatch) gate).countDown();
        }
        TwoWorkers.readyThenWaitForExit();
        early.shutdown();
    }
}
