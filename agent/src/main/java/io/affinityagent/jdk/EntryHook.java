package io.affinityagent.jdk;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A call inserted at the very start of one JDK method: load some of its arguments (local
 * slots; slot 0 is {@code this}) and call a static method of the bridge.
 */
public final class EntryHook extends MethodHook {

    private final int[] argumentSlots;

    public EntryHook(String className, String methodName, String methodDescriptor,
                     String bridgeMethod, String bridgeDescriptor, int... argumentSlots) {
        this(className, methodName, methodDescriptor, bridgeMethod, bridgeDescriptor, false, argumentSlots);
    }

    private EntryHook(String className, String methodName, String methodDescriptor, String bridgeMethod,
                      String bridgeDescriptor, boolean optional, int... argumentSlots) {
        super(className, methodName, methodDescriptor, bridgeMethod, bridgeDescriptor, optional);
        this.argumentSlots = argumentSlots.clone();
    }

    /** The same hook for a method that only some JDKs have. */
    public EntryHook ifPresent() {
        return new EntryHook(className(), methodName(), methodDescriptor(), bridgeMethod(), bridgeDescriptor(), true,
                argumentSlots);
    }

    int[] argumentSlots() {
        return argumentSlots.clone();
    }

    @Override
    MethodVisitor inserter(MethodVisitor next, String bridgeInternalName) {
        return new MethodVisitor(Opcodes.ASM9, next) {
            @Override
            public void visitCode() {
                super.visitCode();
                for (int slot : argumentSlots) {
                    super.visitVarInsn(Opcodes.ALOAD, slot);
                }
                super.visitMethodInsn(Opcodes.INVOKESTATIC, bridgeInternalName, bridgeMethod(), bridgeDescriptor(), false);
            }

            @Override
            public void visitMaxs(int maxStack, int maxLocals) {
                super.visitMaxs(Math.max(maxStack, argumentSlots.length), maxLocals);
            }
        };
    }
}
