package io.affinityagent.jmx;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Run by JmxRegistrationTest in a JVM of its own, as an application would: the agent looks for
 * the platform MBeanServer at every step, the application creates servers (with its own builder
 * when the test sets javax.management.builder.initial). Prints what it sees, step by step.
 */
final class JmxRegistrationProbe {

    /** An application's MBeanServerBuilder: remembers the server it built. */
    public static final class OwnBuilder extends MBeanServerBuilder {
        static final List<MBeanServer> BUILT = new CopyOnWriteArrayList<>();

        @Override
        public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
            MBeanServer s = super.newMBeanServer(defaultDomain, outer, delegate);
            BUILT.add(s);
            return s;
        }
    }

    public static void main(String[] args) throws Exception {
        JmxRegistration registration = new JmxRegistration(new FixedReadModel(), "test");
        registration.onAgentEvent();
        System.out.println("STEP no server: registered=" + registration.registerIfPlatformServerExists() + " servers="
                + MBeanServerFactory.findMBeanServer(null).size());
        MBeanServer own = MBeanServerFactory.createMBeanServer("application");
        System.out.println("STEP the application's own server: registered="
                + registration.registerIfPlatformServerExists());
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        System.out.println("STEP platform built by the application's builder: " + OwnBuilder.BUILT.contains(platform));
        registration.onAgentEvent(); // within a second of the last look: no look
        System.out.println("STEP throttled: registered=" + (registration.server() != null));
        System.out.println("STEP looked again: registered=" + registration.registerIfPlatformServerExists()
                + " inPlatform=" + platform.isRegistered(JmxRegistration.objectName())
                + " inOwn=" + own.isRegistered(JmxRegistration.objectName()));
    }
}
