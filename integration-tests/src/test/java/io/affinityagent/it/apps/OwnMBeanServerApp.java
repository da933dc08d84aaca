package io.affinityagent.it.apps;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import javax.management.ObjectName;

/**
 * An application that makes the JVM's platform MBeanServer with its own builder
 * ({@code -Djavax.management.builder.initial=io.affinityagent.it.apps.OwnMBeanServerApp$Builder}),
 * as WebLogic and JBoss do. PoolLab's commands, and: {@code platform-server} (creates it, says if
 * it is this builder's), {@code registered} (whether the agent's MXBean is in it).
 */
public final class OwnMBeanServerApp {

    /** What this builder's servers implement besides MBeanServer. */
    public interface OwnServer {
    }

    /** The application's builder: the JDK's server, wrapped so that it can be recognised. */
    public static final class Builder extends MBeanServerBuilder {
        @Override
        public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
            MBeanServer real = super.newMBeanServer(defaultDomain, outer, delegate);
            return (MBeanServer) Proxy.newProxyInstance(OwnMBeanServerApp.class.getClassLoader(),
                    new Class<?>[] {MBeanServer.class, OwnServer.class}, (proxy, method, args) -> {
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    private OwnMBeanServerApp() {
    }

    public static void main(String[] args) throws Exception {
        PoolLab.serve(c -> {
            switch (c[0]) {
                case "platform-server":
                    return "own=" + (ManagementFactory.getPlatformMBeanServer() instanceof OwnServer);
                case "registered":
                    return "registered=" + ManagementFactory.getPlatformMBeanServer()
                            .isRegistered(new ObjectName("io.affinityagent:type=AffinityAgent"));
                default:
                    return PoolLab.run(c);
            }
        });
    }
}
