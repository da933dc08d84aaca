package io.affinityagent.it.agents;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A test fault, outside the agent: started after affinity-agent, it rewrites the agent's
 * executor so that every pin to a mask whose lowest CPU is not CPU {@code FIRST} (its agent
 * argument, the test's first CPU) throws, as a bug in the agent's own code on a worker start
 * would. The agent's production code knows nothing of it. The rewrite is branch-free (no frames
 * to compute): at the start of {@code PinExecutor.set(Thread, int, CpuSet)}, every pin's one door, it inserts
 * {@code Objects.checkIndex(mask.nth(0) - FIRST, 1)}, which throws IndexOutOfBoundsException
 * for any mask that does not start at CPU {@code FIRST}.
 */
public final class PinFaultAgent {

    static final String TARGET = "io/affinityagent/engine/PinExecutor";
    static final String CPU_SET = "io/affinityagent/cpu/CpuSet";

    private PinFaultAgent() {
    }

    public static void premain(String args, Instrumentation inst) throws Exception {
        int first = Integer.parseInt(args.trim());
        ClassFileTransformer faulty = new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                    byte[] bytes) {
                return TARGET.equals(name) ? withFault(bytes, first) : null;
            }
        };
        inst.addTransformer(faulty, true);
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals(TARGET.replace('/', '.'))) {
                inst.retransformClasses(c); // loaded already by the agent's premain
            }
        }
    }

    static byte[] withFault(byte[] bytes, int first) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!name.equals("set") || !descriptor.startsWith("(Ljava/lang/Thread;IL" + CPU_SET + ";)")) {
                    return mv;
                }
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        super.visitVarInsn(Opcodes.ALOAD, 3);
                        super.visitInsn(Opcodes.ICONST_0);
                        super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CPU_SET, "nth", "(I)I", false);
                        super.visitLdcInsn(first);
                        super.visitInsn(Opcodes.ISUB);
                        super.visitInsn(Opcodes.ICONST_1);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/Objects", "checkIndex", "(II)I", false);
                        super.visitInsn(Opcodes.POP);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }
}
