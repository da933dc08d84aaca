package io.affinityagent.jdk;

import org.objectweb.asm.MethodVisitor;

/**
 * A call inserted into one JDK method that hands an event to a static method of the bridge:
 * at the method's start ({@link EntryHook}) or just before it returns ({@link ReturnHook}).
 * Nothing else: no try/catch, no branch, no change to the method's frames, never on a per-task
 * path.
 */
public abstract class MethodHook {

    private final String className;      // internal name, e.g. java/util/concurrent/ThreadPoolExecutor
    private final String methodName;
    private final String methodDescriptor;
    private final String bridgeMethod;
    private final String bridgeDescriptor;
    private final boolean optional;

    MethodHook(String className, String methodName, String methodDescriptor, String bridgeMethod,
               String bridgeDescriptor, boolean optional) {
        this.className = className;
        this.methodName = methodName;
        this.methodDescriptor = methodDescriptor;
        this.bridgeMethod = bridgeMethod;
        this.bridgeDescriptor = bridgeDescriptor;
        this.optional = optional;
    }

    public String className() {
        return className;
    }

    public String methodName() {
        return methodName;
    }

    public String methodDescriptor() {
        return methodDescriptor;
    }

    public String bridgeMethod() {
        return bridgeMethod;
    }

    public String bridgeDescriptor() {
        return bridgeDescriptor;
    }

    /** True for a method only some JDKs have: its absence is no problem to report. */
    public boolean optional() {
        return optional;
    }

    /** Wraps the method's visitor so that it writes the call. */
    abstract MethodVisitor inserter(MethodVisitor next, String bridgeInternalName);

    /** {@code ThreadPoolExecutor.runWorker} for messages. */
    public String describe() {
        return className.substring(className.lastIndexOf('/') + 1) + "." + methodName;
    }

    @Override
    public String toString() {
        return describe();
    }
}
