package io.affinityagent.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.log.AgentLog;
import io.affinityagent.log.LogLevel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The hooks written into the running JDK's own class files (JDK 17 when the build runs). */
class ThreadHookTransformerTest {

    private static final String BRIDGE = "jdk/internal/misc/AffinityAgentWorkerHooks";

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final AgentLog log = new AgentLog(LogLevel.INFO, () -> new PrintStream(logged, true, StandardCharsets.UTF_8));

    private static byte[] jdkClass(String internalName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Each method's instructions as text: "ALOAD 0", "INVOKESTATIC owner.name desc", "RETURN"... */
    private static List<String> instructions(byte[] classfile, String method, String descriptor) {
        List<String> out = new ArrayList<>();
        new ClassReader(classfile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                if (!name.equals(method) || !desc.equals(descriptor)) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitVarInsn(int opcode, int var) {
                        out.add((opcode == Opcodes.ALOAD ? "ALOAD " : "VAR" + opcode + " ") + var);
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                        out.add((opcode == Opcodes.INVOKESTATIC ? "INVOKESTATIC " : "INVOKE ") + owner + "." + n + d);
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String n, String d) {
                        out.add((opcode == Opcodes.GETFIELD ? "GETFIELD " : "FIELD ") + owner + "." + n);
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        out.add(opcode == Opcodes.RETURN ? "RETURN" : "INSN " + opcode);
                    }
                };
            }
        }, 0);
        return out;
    }

    @Test
    void threadRunExitAndStartCallTheBridgeFirst() throws IOException {
        EntryHookTransformer t = new EntryHookTransformer(BRIDGE, ThreadInstrumentation.hooks(), log);

        byte[] out = t.insertHooks(jdkClass("java/lang/Thread"), ThreadInstrumentation.hooks());

        assertThat(instructions(out, "run", "()V")).startsWith("ALOAD 0",
                "INVOKESTATIC " + BRIDGE + ".threadRunning(Ljava/lang/Thread;)V");
        assertThat(instructions(out, "exit", "()V")).startsWith("ALOAD 0",
                "INVOKESTATIC " + BRIDGE + ".threadExiting(Ljava/lang/Thread;)V");
        assertThat(instructions(out, "start", "()V")).startsWith("ALOAD 0",
                "INVOKESTATIC " + BRIDGE + ".threadStarting(Ljava/lang/Thread;)V");
        // run, exit and start(); start(ThreadContainer) only on JDK 21+, and its absence is no problem.
        assertThat(t.applied()).hasSize(Runtime.version().feature() >= 21 ? 4 : 3);
        assertThat(logged.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theWorkerConstructorReportsItsThreadJustBeforeReturning() throws IOException {
        List<MethodHook> hooks = ThreadPoolExecutorInstrumentation.hooks();
        EntryHookTransformer t = new EntryHookTransformer(BRIDGE, hooks, log);
        String worker = ThreadPoolExecutorInstrumentation.WORKER_TYPE;

        byte[] out = t.insertHooks(jdkClass(worker), hooks);

        List<String> init = instructions(out, "<init>", "(Ljava/util/concurrent/ThreadPoolExecutor;Ljava/lang/Runnable;)V");
        assertThat(init).endsWith("ALOAD 0", "GETFIELD " + worker + ".thread",
                "INVOKESTATIC " + BRIDGE + ".threadPoolWorkerCreated(Ljava/lang/Thread;)V", "RETURN");
        // The thread is made by the factory before: the hook reads it after it is assigned.
        assertThat(init.indexOf("INVOKE java/util/concurrent/ThreadFactory.newThread(Ljava/lang/Runnable;)Ljava/lang/Thread;"))
                .isLessThan(init.indexOf("GETFIELD " + worker + ".thread"));
    }

    @Test
    void theMethodsNotHookedAreCopiedUnchanged() throws IOException {
        byte[] original = jdkClass("java/lang/Thread");
        EntryHookTransformer t = new EntryHookTransformer(BRIDGE, ThreadInstrumentation.hooks(), log);

        byte[] out = t.insertHooks(original, ThreadInstrumentation.hooks());

        assertThat(instructions(out, "interrupt", "()V")).isEqualTo(instructions(original, "interrupt", "()V"));
        assertThat(instructions(out, "setName", "(Ljava/lang/String;)V"))
                .isEqualTo(instructions(original, "setName", "(Ljava/lang/String;)V"));
    }

    @Test
    void aMissingRequiredMethodIsReportedAnOptionalOneIsNot() throws IOException {
        List<MethodHook> hooks = List.of(
                new EntryHook("java/lang/Thread", "noSuchMethod", "()V", "x", "()V"),
                new EntryHook("java/lang/Thread", "alsoMissing", "()V", "y", "()V").ifPresent());
        EntryHookTransformer t = new EntryHookTransformer(BRIDGE, hooks, log);

        assertThat(t.transform(null, null, "java/lang/Thread", null, null, jdkClass("java/lang/Thread"))).isNotNull();

        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("cannot hook Thread.noSuchMethod()V: no such method")
                .doesNotContain("alsoMissing");
    }
}
