package io.affinityagent.jdk;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A call inserted just before every {@code return} of a void JDK method (a constructor, say),
 * passing one field of {@code this}: what the method has just built. The stack is empty at a
 * void return, and the call leaves it so, so the method's frames stay valid.
 */
public final class ReturnHook extends MethodHook {

    private final String fieldName;
    private final String fieldDescriptor;

    public ReturnHook(String className, String methodName, String methodDescriptor, String fieldName,
                      String fieldDescriptor, String bridgeMethod, String bridgeDescriptor) {
        super(className, methodName, methodDescriptor, bridgeMethod, bridgeDescriptor, false);
        if (!methodDescriptor.endsWith(")V")) {
            throw new IllegalArgumentException("a return hook needs a void method: " + methodName + methodDescriptor);
        }
        this.fieldName = fieldName;
        this.fieldDescriptor = fieldDescriptor;
    }

    @Override
    MethodVisitor inserter(MethodVisitor next, String bridgeInternalName) {
        return new MethodVisitor(Opcodes.ASM9, next) {
            @Override
            public void visitInsn(int opcode) {
                if (opcode == Opcodes.RETURN) {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitFieldInsn(Opcodes.GETFIELD, className(), fieldName, fieldDescriptor);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, bridgeInternalName, bridgeMethod(), bridgeDescriptor(),
                            false);
                }
                super.visitInsn(opcode);
            }

            @Override
            public void visitMaxs(int maxStack, int maxLocals) {
                super.visitMaxs(Math.max(maxStack, 1), maxLocals);
            }
        };
    }
}
