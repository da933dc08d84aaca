package io.affinityagent.it.agents;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test seam, outside the agent: given before affinity-agent, it holds the agent's start thread
 * ({@code affinity-start}) at its first class load until the application opens the gate, a
 * CountDownLatch it leaves in the system properties under {@link #GATE}. So the application's
 * workers certainly start before the agent's plan is ready. The agent's production code knows
 * nothing of it.
 */
public final class StartGateAgent {

    public static final String GATE = "affinity.it.start-gate";

    private StartGateAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        CountDownLatch gate = new CountDownLatch(1);
        System.getProperties().put(GATE, gate);
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                    byte[] bytes) {
                if (Thread.currentThread().getName().equals("affinity-start")) {
                    try {
                        gate.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return null;
            }
        });
    }
}
