package io.affinityagent.it.apps;

import java.util.concurrent.ExecutorService;

/**
 * Loads ThreadPoolExecutor first thing in {@code main} (held there by
 * {@link io.affinityagent.it.agents.PoolClassLoadHoldAgent} while affinity-agent installs its
 * hooks), waits for the agent's start to end, and only then starts a pool of two: no sweep can
 * place its workers, only the hooks in the class can. Says READY once they run.
 */
public final class LatePoolApp {

    private LatePoolApp() {
    }

    public static void main(String[] args) throws Exception {
        Class.forName("java.util.concurrent.ThreadPoolExecutor");
        AgentStarted.await();
        ExecutorService late = TwoWorkers.start("late", "late-");
        TwoWorkers.readyThenWaitForExit();
        late.shutdown();
    }
}
