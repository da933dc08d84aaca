package io.affinityagent.jdk;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * This JVM's own thread dump ({@code Thread.print}, what {@code jcmd PID Thread.print} shows),
 * taken in-process through the diagnostic-command implementation behind the DiagnosticCommand
 * MBean, without creating the platform MBeanServer: that would start JMX in the application
 * and can break applications that choose their own MBeanServer builder at start-up.
 *
 * <p>A dump is a safepoint: every thread stops while the stacks are walked. It is taken at most
 * once per attach, only when a matched running worker's native id is unknown, never at start-up
 * or on a worker's path.
 */
public final class InProcessThreadDump {

    private static final String MODULE = "jdk.management";
    private static final String PACKAGE = "com.sun.management.internal";

    private InProcessThreadDump() {
    }

    /** The dump's text; throws, with the reason, when this JVM cannot give one. */
    public static String take(Instrumentation inst) throws ReflectiveOperationException {
        Optional<Module> found = ModuleLayer.boot().findModule(MODULE);
        if (found.isEmpty()) {
            throw new ClassNotFoundException("this Java runtime has no " + MODULE + " module");
        }
        Module management = found.get();
        Module self = InProcessThreadDump.class.getModule();
        if (!management.isOpen(PACKAGE, self)) {
            inst.redefineModule(management, Set.of(), Map.of(), Map.of(PACKAGE, Set.of(self)), Set.of(), Map.of());
        }
        ClassLoader loader = management.getClassLoader();
        // Its static initialiser loads the native library the diagnostic commands live in.
        Class.forName(PACKAGE + ".PlatformMBeanProviderImpl", true, loader);
        Class<?> impl = Class.forName(PACKAGE + ".DiagnosticCommandImpl", true, loader);
        Method instance = impl.getDeclaredMethod("getDiagnosticCommandMBean");
        instance.setAccessible(true);
        Method execute = impl.getDeclaredMethod("executeDiagnosticCommand", String.class);
        execute.setAccessible(true);
        try {
            Object commands = instance.invoke(null);
            if (commands == null) {
                throw new ClassNotFoundException("this JVM does not run diagnostic commands");
            }
            return (String) execute.invoke(commands, "Thread.print");
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new ReflectiveOperationException("Thread.print failed: " + cause, cause);
        }
    }
}
