package io.affinityagent.bench.startup;

import java.lang.instrument.Instrumentation;

/**
 * An agent that does nothing (target/benchmarks-VERSION-empty-agent.jar): the start-up
 * benchmark's middle arm, which measures what the JVM itself charges for any -javaagent.
 */
public final class EmptyAgent {

    private EmptyAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        // nothing: the cost of being an agent, and no more
    }
}
