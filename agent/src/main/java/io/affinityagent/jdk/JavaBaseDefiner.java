package io.affinityagent.jdk;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.util.Map;
import java.util.Set;

/**
 * Defines the agent's few {@code bootstrap} classes inside {@code java.base}, renamed into the
 * non-exported package {@code jdk.internal.misc}: JDK code may call them, application code
 * cannot see them. The alternative, {@code appendToBootstrapClassLoaderSearch}, makes HotSpot
 * turn off class-data sharing for the application's classes; defining through a
 * {@link MethodHandles.Lookup} in a package the agent opened to itself does not.
 */
public final class JavaBaseDefiner {

    static final String PACKAGE = "jdk.internal.misc";
    /** Prefix of every class we define there, so a stack trace says whose it is. */
    static final String NAME_PREFIX = PACKAGE + ".AffinityAgent";
    /** Any class of the target package, to get a Lookup into it. */
    private static final String PACKAGE_ANCHOR = PACKAGE + ".VM";

    private JavaBaseDefiner() {
    }

    /** {@code jdk.internal.misc.AffinityAgentWorkerHooks} for {@code bootstrap.WorkerHooks}. */
    public static String nameInJavaBase(Class<?> source) {
        return NAME_PREFIX + source.getSimpleName();
    }

    /** The class if some agent already defined it in this JVM, else null. */
    public static Class<?> findDefined(Class<?> source) {
        try {
            return Class.forName(nameInJavaBase(source), false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** Defines the renamed copy of {@code source} in java.base, or returns the one defined before. */
    public static synchronized Class<?> define(Instrumentation inst, Class<?> source)
            throws ReflectiveOperationException, IOException {
        Class<?> existing = findDefined(source);
        if (existing != null) {
            return existing;
        }
        Module javaBase = Object.class.getModule();
        Module agentModule = JavaBaseDefiner.class.getModule();
        if (!javaBase.isOpen(PACKAGE, agentModule)) {
            inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of(PACKAGE, Set.of(agentModule)), Set.of(), Map.of());
        }
        Class<?> anchor = Class.forName(PACKAGE_ANCHOR, false, null);
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(anchor, MethodHandles.lookup());
        return lookup.defineClass(renamed(source));
    }

    /** The class file of {@code source}, renamed to its name in java.base. */
    static byte[] renamed(Class<?> source) throws IOException {
        String from = source.getName().replace('.', '/');
        byte[] original;
        try (InputStream in = source.getResourceAsStream(source.getSimpleName() + ".class")) {
            if (in == null) {
                throw new IOException("the agent jar has no " + from + ".class");
            }
            original = in.readAllBytes();
        }
        return ClassFileRenamer.rename(original, from, nameInJavaBase(source).replace('.', '/'));
    }
}
