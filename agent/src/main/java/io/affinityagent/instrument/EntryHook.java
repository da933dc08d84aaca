package io.affinityagent.instrument;

/**
 * A call inserted at the very start of one JDK method: load some of its arguments (local
 * slots; slot 0 is {@code this}) and call a static method of the bridge. Nothing else: no
 * try/catch, no branch, no change to the method's frames, nothing on a per-task path.
 */
public final class EntryHook {

    private final String className;      // internal name, e.g. java/util/concurrent/ThreadPoolExecutor
    private final String methodName;
    private final String methodDescriptor;
    private final String bridgeMethod;
    private final String bridgeDescriptor;
    private final int[] argumentSlots;

    public EntryHook(String className, String methodName, String methodDescriptor,
                     String bridgeMethod, String bridgeDescriptor, int... argumentSlots) {
        this.className = className;
        this.methodName = methodName;
        this.methodDescriptor = methodDescriptor;
        this.bridgeMethod = bridgeMethod;
        this.bridgeDescriptor = bridgeDescriptor;
        this.argumentSlots = argumentSlots.clone();
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

    int[] argumentSlots() {
        return argumentSlots.clone();
    }

    /** {@code ThreadPoolExecutor.runWorker} for messages. */
    public String describe() {
        return className.substring(className.lastIndexOf('/') + 1) + "." + methodName;
    }

    @Override
    public String toString() {
        return describe();
    }
}
