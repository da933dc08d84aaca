package io.affinityagent.jdk;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The JVM's agent properties (jdk.internal.vm.VMSupport): readable by any attach client without
 * loading an agent, invisible to the application's System.getProperties().
 */
public final class JvmAgentProperties {

    private static final String PACKAGE = "jdk.internal.vm";

    private JvmAgentProperties() {
    }

    /** The live properties object, or null when this JVM does not have one we can reach. */
    public static Properties open(Instrumentation inst) {
        try {
            Object props = vmSupport(inst).getMethod("getAgentProperties").invoke(null);
            return props instanceof Properties ? (Properties) props : null;
        } catch (Throwable t) {
            return null;
        }
    }

    /**
     * Puts a {@link ReadHookProperties} copy in place of the JVM's agent properties (once: a
     * second call finds it there) and returns it; null when this JDK keeps them otherwise, in
     * which case the command line falls back to loading the agent for each request.
     */
    public static ReadHookProperties openWithReadHook(Instrumentation inst) {
        try {
            Class<?> vmSupport = vmSupport(inst);
            Field field = vmSupport.getDeclaredField("agentProps");
            field.setAccessible(true);
            // getAgentProperties() is static synchronized: swap under the same lock.
            synchronized (vmSupport) {
                Object current = vmSupport.getMethod("getAgentProperties").invoke(null);
                if (current instanceof ReadHookProperties) {
                    return (ReadHookProperties) current;
                }
                if (!(current instanceof Properties) || current.getClass() != Properties.class) {
                    return null; // someone else's: leave it alone
                }
                ReadHookProperties hooked = new ReadHookProperties((Properties) current);
                field.set(null, hooked);
                return hooked;
            }
        } catch (Throwable t) {
            return null;
        }
    }

    private static Class<?> vmSupport(Instrumentation inst) throws ClassNotFoundException {
        Module javaBase = Object.class.getModule();
        Module self = JvmAgentProperties.class.getModule();
        if (!javaBase.isOpen(PACKAGE, self)) {
            inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of(PACKAGE, Set.of(self)), Set.of(), Map.of());
        }
        return Class.forName(PACKAGE + ".VMSupport", true, null);
    }
}
