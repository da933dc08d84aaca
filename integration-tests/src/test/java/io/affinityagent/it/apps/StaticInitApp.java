package io.affinityagent.it.apps;

import java.util.concurrent.ExecutorService;

/**
 * An application whose pool is created, and whose workers start, in its main class's static
 * initialiser: before {@code main}, while the JVM is still launching it.
 */
public final class StaticInitApp {

    static final ExecutorService EARLY;

    static {
        try {
            // The workers' task lives in TwoWorkers: code of this class would wait for this very
            // initialiser to finish, and it waits for them.
            EARLY = TwoWorkers.start("early", "early-");
        } catch (InterruptedException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private StaticInitApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("MAIN after the static initialiser");
        TwoWorkers.readyThenWaitForExit();
    }
}
