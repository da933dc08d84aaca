package io.affinityagent.jmx;

import io.affinityagent.os.ProcFs;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Puts the agent's MXBean into the platform MBeanServer without ever being the one that creates
 * it. Creating it at premain would initialise java.util.logging's LogManager before WildFly or
 * JBoss install theirs (they then fail to start), and would build it before an application sets
 * {@code javax.management.builder.initial} (WebLogic, JBoss: the JVM would keep the wrong
 * server). So the MXBean is registered once the server exists, created by the application, by
 * the JVM's management agent ({@code -Dcom.sun.management.jmxremote}, or
 * {@code jcmd PID ManagementAgent.start_local} as JConsole and VisualVM do when they connect, and
 * {@code jmx PID}).
 *
 * <p>Whether it exists is seen without creating it: every server made by
 * {@code MBeanServerFactory.createMBeanServer} (the platform one included, whatever builder made
 * it) is in {@code MBeanServerFactory.findMBeanServer(null)}, and the platform one is the one with
 * {@code java.lang:type=Runtime}. That look loads two or three classes of java.management and no
 * logging; it is made on events the agent has anyway ({@link #onAgentEvent()}: at most once a
 * second, never again once registered).
 */
public final class JmxRegistration {

    public static final String OBJECT_NAME = "io.affinityagent:type=AffinityAgent";
    private static final long LOOK_EVERY_NANOS = 1_000_000_000L;

    private final AffinityAgentMXBean bean;
    /** Where the MXBean is registered; null until then. */
    private volatile MBeanServer server;
    private volatile long nextLook;

    public JmxRegistration(AgentReadModel model, String version) {
        this(new AffinityAgentBean(model, version, ProcFs.system()));
    }

    JmxRegistration(AffinityAgentMXBean bean) {
        this.bean = bean;
        this.nextLook = System.nanoTime();
    }

    /**
     * For events the agent sees anyway (a worker start, an attach, a status read): registers the
     * MXBean if the platform server has been created since the last look. Once registered, a
     * volatile read; before, at most one look a second.
     */
    public void onAgentEvent() {
        if (server != null) {
            return;
        }
        long now = System.nanoTime();
        if (now - nextLook < 0) {
            return;
        }
        nextLook = now + LOOK_EVERY_NANOS;
        registerIfPlatformServerExists();
    }

    /** Registers the MXBean if the platform MBeanServer exists now; never creates it. Whether it is registered. */
    public synchronized boolean registerIfPlatformServerExists() {
        if (server != null) {
            return true;
        }
        MBeanServer platform = existingPlatformServer();
        return platform != null && register(platform);
    }

    /** The server it is registered in, or null. */
    public MBeanServer server() {
        return server;
    }

    private boolean register(MBeanServer target) {
        try {
            ObjectName name = objectName();
            if (!target.isRegistered(name)) {
                target.registerMBean(bean, name);
            }
            server = target;
            return true;
        } catch (JMException | RuntimeException e) {
            // Registered by another copy of the agent (another class loader), or refused by a
            // security manager: the agent works without it.
            return false;
        }
    }

    /** The platform MBeanServer if someone created it, else null; creates nothing. */
    static MBeanServer existingPlatformServer() {
        List<MBeanServer> servers;
        try {
            servers = MBeanServerFactory.findMBeanServer(null);
        } catch (SecurityException e) {
            return null;
        }
        if (servers.isEmpty()) {
            return null;
        }
        ObjectName runtime = name("java.lang:type=Runtime");
        for (MBeanServer s : servers) {
            try {
                if (s.isRegistered(runtime)) {
                    return s;
                }
            } catch (RuntimeException e) {
                // a server of the application's that will not answer: not the platform one
            }
        }
        return null;
    }

    static ObjectName objectName() {
        return name(OBJECT_NAME);
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }
}
