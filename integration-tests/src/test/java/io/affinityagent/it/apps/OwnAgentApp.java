package io.affinityagent.it.apps;

/**
 * An application started with its own Java agent ({@link io.affinityagent.it.agents.TpeCountingAgent})
 * as well as ours: runs a pool of two, then prints {@code COUNTED <n>}, the ThreadPoolExecutor.execute
 * calls its agent counted.
 */
public final class OwnAgentApp {

    private OwnAgentApp() {
    }

    public static void main(String[] args) throws Exception {
        TwoWorkers.start("own", "own-");
        Object counted = System.getProperties().get("test-agent.tpe.execute");
        System.out.println("COUNTED " + counted);
        TwoWorkers.readyThenWaitForExit();
    }
}
