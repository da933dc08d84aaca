package io.affinityagent.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.log.AgentLog;
import io.affinityagent.log.LogLevel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class EntryHookTransformerTest {

    private static final String BRIDGE = "jdk/internal/misc/AffinityAgentWorkerHooks";
    private static final String TPE = "java/util/concurrent/ThreadPoolExecutor";
    private static final String FJ_WORKER = "java/util/concurrent/ForkJoinWorkerThread";
    private static final String FJ_POOL = "java/util/concurrent/ForkJoinPool";
    private static final Module JAVA_BASE = Object.class.getModule();

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream logStream = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    private final AgentLog log = new AgentLog(LogLevel.INFO, () -> logStream);

    private String logText() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    private static byte[] jdkClass(String internalName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            assertThat(in).as("%s.class from the running JDK", internalName).isNotNull();
            return in.readAllBytes();
        }
    }

    private static List<MethodHook> allHooks() {
        List<MethodHook> hooks = new ArrayList<>(ThreadPoolExecutorInstrumentation.hooks());
        hooks.addAll(ForkJoinInstrumentation.hooks());
        return hooks;
    }

    /** Opcode names, for readable listings. */
    private static final Map<Integer, String> OPCODES = new HashMap<>();

    static {
        for (Field f : Opcodes.class.getFields()) {
            String n = f.getName();
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()) && !n.startsWith("ACC_")
                    && !n.startsWith("T_") && !n.startsWith("H_") && !n.startsWith("F_") && !n.startsWith("V")
                    && !n.startsWith("ASM") && !n.startsWith("SOURCE_")) {
                try {
                    OPCODES.putIfAbsent(f.getInt(null), n);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** A method's code as text, one line per instruction, label and frame; labels numbered by first use. */
    static final class Listing {
        final List<String> code = new ArrayList<>();
        int maxStack;
        int maxLocals;
    }

    /** Every method of a class file ("name descriptor" to its listing), in file order. */
    static Map<String, Listing> listMethods(byte[] classfile) {
        Map<String, Listing> methods = new LinkedHashMap<>();
        new ClassReader(classfile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                Listing listing = new Listing();
                methods.put(name + " " + descriptor, listing);
                return new Recorder(listing);
            }
        }, 0);
        return methods;
    }

    private static final class Recorder extends MethodVisitor {
        private final Listing out;
        private final Map<Label, Integer> labels = new HashMap<>();

        Recorder(Listing out) {
            super(Opcodes.ASM9);
            this.out = out;
        }

        private String l(Label label) {
            return "L" + labels.computeIfAbsent(label, k -> labels.size());
        }

        private String op(int opcode) {
            return OPCODES.getOrDefault(opcode, "op" + opcode);
        }

        private String objects(int n, Object[] items) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                Object o = items[i];
                sb.append(i > 0 ? " " : "").append(o instanceof Label ? l((Label) o) : String.valueOf(o));
            }
            return sb.append(']').toString();
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            out.code.add("FRAME " + type + " " + objects(numLocal, local) + " " + objects(numStack, stack));
        }

        @Override
        public void visitInsn(int opcode) {
            out.code.add(op(opcode));
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            out.code.add(op(opcode) + " " + operand);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            out.code.add(op(opcode) + " " + var);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            out.code.add(op(opcode) + " " + type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            out.code.add(op(opcode) + " " + owner + "." + name + " " + descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            out.code.add(op(opcode) + " " + owner + "." + name + descriptor + (isInterface ? " itf" : ""));
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... args) {
            out.code.add("INVOKEDYNAMIC " + name + descriptor + " " + bsm + " " + java.util.Arrays.toString(args));
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            out.code.add(op(opcode) + " " + l(label));
        }

        @Override
        public void visitLabel(Label label) {
            out.code.add(l(label) + ":");
        }

        @Override
        public void visitLdcInsn(Object value) {
            out.code.add("LDC " + value + " (" + value.getClass().getSimpleName() + ")");
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            out.code.add("IINC " + var + " " + increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... targets) {
            out.code.add("TABLESWITCH " + min + " " + max + " " + l(dflt) + " " + objects(targets.length, targets));
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] targets) {
            out.code.add("LOOKUPSWITCH " + java.util.Arrays.toString(keys) + " " + l(dflt) + " "
                    + objects(targets.length, targets));
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            out.code.add("MULTIANEWARRAY " + descriptor + " " + numDimensions);
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            out.code.add("TRY " + l(start) + " " + l(end) + " " + l(handler) + " " + type);
        }

        @Override
        public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end,
                                       int index) {
            out.code.add("LOCAL " + name + " " + descriptor + " " + l(start) + " " + l(end) + " " + index);
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            out.code.add("LINE " + line + " " + l(start));
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            out.maxStack = maxStack;
            out.maxLocals = maxLocals;
        }
    }

    private static List<String> expectedEntry(MethodHook hook) {
        return expectedEntry(BRIDGE, hook);
    }

    private static List<String> expectedEntry(String bridge, MethodHook hook) {
        List<String> entry = new ArrayList<>();
        for (int slot : ((EntryHook) hook).argumentSlots()) {
            entry.add("ALOAD " + slot);
        }
        entry.add("INVOKESTATIC " + bridge + "." + hook.bridgeMethod() + hook.bridgeDescriptor());
        return entry;
    }

    /** "ThreadPoolExecutor.runWorker(...)V": hooks are compared by what they hook, not by instance. */
    private static List<String> hooked(Iterable<? extends MethodHook> hooks) {
        List<String> out = new ArrayList<>();
        for (MethodHook h : hooks) {
            out.add(h.describe() + h.methodDescriptor() + " -> " + h.bridgeMethod());
        }
        return out;
    }

    /**
     * The hooked methods start with the argument loads and the bridge call, followed by their
     * original code unchanged; every other method is unchanged.
     */
    private static void assertHookedExactly(byte[] original, byte[] transformed, List<MethodHook> hooks) {
        assertHookedExactly(BRIDGE, original, transformed, hooks);
    }

    private static void assertHookedExactly(String bridge, byte[] original, byte[] transformed, List<MethodHook> hooks) {
        Map<String, Listing> before = listMethods(original);
        Map<String, Listing> after = listMethods(transformed);
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        int hooked = 0;
        for (Map.Entry<String, Listing> m : before.entrySet()) {
            Listing was = m.getValue();
            Listing now = after.get(m.getKey());
            MethodHook hook = null;
            for (MethodHook h : hooks) {
                if ((h.methodName() + " " + h.methodDescriptor()).equals(m.getKey())) {
                    hook = h;
                }
            }
            if (hook == null) {
                assertThat(now.code).as("untouched method %s", m.getKey()).isEqualTo(was.code);
                assertThat(now.maxStack).as("max stack of %s", m.getKey()).isEqualTo(was.maxStack);
            } else {
                hooked++;
                // ASM lists a method's exception table before its code: the hook comes first in the code.
                int tryEntries = 0;
                while (tryEntries < was.code.size() && was.code.get(tryEntries).startsWith("TRY ")) {
                    tryEntries++;
                }
                List<String> expected = new ArrayList<>(was.code.subList(0, tryEntries));
                expected.addAll(expectedEntry(bridge, hook));
                expected.addAll(was.code.subList(tryEntries, was.code.size()));
                assertThat(now.code).as("hooked method %s", m.getKey()).isEqualTo(expected);
                assertThat(now.maxStack).as("max stack of %s", m.getKey())
                        .isEqualTo(Math.max(was.maxStack, ((EntryHook) hook).argumentSlots().length));
            }
            assertThat(now.maxLocals).as("max locals of %s", m.getKey()).isEqualTo(was.maxLocals);
        }
        assertThat(hooked).as("hooked methods").isEqualTo(hooks.size());
        ClassReader r0 = new ClassReader(original);
        ClassReader r1 = new ClassReader(transformed);
        assertThat(r1.getClassName()).isEqualTo(r0.getClassName());
        assertThat(r1.getSuperName()).isEqualTo(r0.getSuperName());
        assertThat(r1.getInterfaces()).containsExactly(r0.getInterfaces());
        assertThat(r1.getAccess()).isEqualTo(r0.getAccess());
    }

    private byte[] transformBootClass(EntryHookTransformer t, String className, byte[] bytes) {
        return t.transform(JAVA_BASE, null, className, null, null, bytes);
    }

    @Test
    void threadPoolExecutorGetsItsTwoHooksAndNothingElseChanges() throws IOException {
        List<MethodHook> hooks = ThreadPoolExecutorInstrumentation.hooks().subList(0, 2); // the Worker hook: its own test
        EntryHookTransformer t = new EntryHookTransformer(BRIDGE, allHooks(), log);
        byte[] original = jdkClass(TPE);

        byte[] transformed = transformBootClass(t, TPE, original);

        assertThat(transformed).isNotNull();
        assertHookedExactly(original, transformed, hooks);
        assertThat(expectedEntry(hooks.get(0))).containsExactly(
                "ALOAD 0", "INVOKESTATIC " + BRIDGE + ".threadPoolWorkerStarting(Ljava/lang/Object;)V");
        assertThat(expectedEntry(hooks.get(1))).containsExactly(
                "INVOKESTATIC " + BRIDGE + ".threadPoolWorkerExiting()V");
        assertThat(hooked(t.applied())).containsExactlyInAnyOrderElementsOf(hooked(hooks));
        assertThat(t.failures()).isEmpty();
        assertThat(logText()).isEmpty();
    }

    @Test
    void forkJoinClassesGetTheirHooksAndNothingElseChanges() throws IOException {
        List<MethodHook> hooks = ForkJoinInstrumentation.hooks();
        EntryHookTransformer t = new EntryHookTransformer(BRIDGE, allHooks(), log);
        byte[] worker = jdkClass(FJ_WORKER);
        byte[] pool = jdkClass(FJ_POOL);

        byte[] workerOut = transformBootClass(t, FJ_WORKER, worker);
        byte[] poolOut = transformBootClass(t, FJ_POOL, pool);

        assertHookedExactly(worker, workerOut, List.of(hooks.get(0)));
        assertHookedExactly(pool, poolOut, List.of(hooks.get(1)));
        assertThat(expectedEntry(hooks.get(0))).containsExactly(
                "ALOAD 0", "INVOKESTATIC " + BRIDGE + ".forkJoinWorkerStarting(Ljava/lang/Thread;)V");
        assertThat(expectedEntry(hooks.get(1))).containsExactly(
                "ALOAD 1", "INVOKESTATIC " + BRIDGE + ".forkJoinWorkerExiting(Ljava/lang/Thread;)V");
        assertThat(hooked(t.applied())).containsExactlyInAnyOrderElementsOf(hooked(hooks));
        assertThat(logText()).isEmpty();
    }

    @Test
    void allThreeClassesTogetherApplyEveryHook() throws IOException {
        EntryHookTransformer t = new EntryHookTransformer(BRIDGE, allHooks(), log);

        for (String c : List.of(TPE, TPE + "$Worker", FJ_WORKER, FJ_POOL)) {
            assertThat(transformBootClass(t, c, jdkClass(c))).as(c).isNotNull();
        }

        assertThat(hooked(t.applied())).containsExactlyInAnyOrderElementsOf(hooked(allHooks()));
        assertThat(t.applied()).hasSize(5);
    }

    @Test
    void onlyBootLoaderClassesAreTransformed() throws IOException {
        EntryHookTransformer t = new EntryHookTransformer(BRIDGE, allHooks(), log);
        byte[] tpe = jdkClass(TPE);

        assertThat(t.transform(null, getClass().getClassLoader(), TPE, null, null, tpe))
                .as("a class of the same name from an application loader").isNull();
        assertThat(t.transform(null, ClassLoader.getPlatformClassLoader(), TPE, null, null, tpe)).isNull();
        assertThat(t.applied()).isEmpty();
    }

    @Test
    void classesWithoutHooksAndNamelessClassesAreLeftAlone() throws IOException {
        EntryHookTransformer t = new EntryHookTransformer(BRIDGE, allHooks(), log);

        assertThat(transformBootClass(t, "java/lang/Thread", jdkClass("java/lang/Thread"))).isNull();
        assertThat(transformBootClass(t, null, jdkClass(TPE))).isNull();
        assertThat(t.applied()).isEmpty();
    }

    @Test
    void hookForAMethodThatDoesNotExistIsReportedMissing() throws IOException {
        EntryHook missing = new EntryHook(TPE, "noSuchMethod", "()V", "threadPoolWorkerExiting", "()V");
        EntryHook wrongDescriptor = new EntryHook(TPE, "runWorker", "(Ljava/lang/Object;)V",
                "threadPoolWorkerStarting", "(Ljava/lang/Object;)V", 0);
        MethodHook real = ThreadPoolExecutorInstrumentation.hooks().get(0);
        EntryHookTransformer t = new EntryHookTransformer(BRIDGE, List.of(missing, wrongDescriptor, real), log);
        byte[] original = jdkClass(TPE);

        byte[] transformed = transformBootClass(t, TPE, original);

        assertHookedExactly(original, transformed, List.of(real));
        assertThat(t.applied()).containsExactly(real);
        assertThat(t.describeMissing(missing))
                .isEqualTo("cannot hook ThreadPoolExecutor.noSuchMethod()V: no such method in this JDK ("
                        + System.getProperty("java.version") + ")");
        assertThat(t.describeMissing(wrongDescriptor)).contains("runWorker(Ljava/lang/Object;)V", "no such method");
        assertThat(logText()).contains("[affinity-agent] error: cannot hook ThreadPoolExecutor.noSuchMethod()V: no such method")
                .contains("runWorker(Ljava/lang/Object;)V: no such method")
                .contains("those workers are not pinned")
                .doesNotContain("runWorker(Ljava/util/concurrent/ThreadPoolExecutor$Worker;)V");
    }

    @Test
    void brokenClassFileIsLeftAsItWasAndTheReasonIsKept() {
        EntryHookTransformer t = new EntryHookTransformer(BRIDGE, allHooks(), log);
        byte[] garbage = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0};

        assertThat(transformBootClass(t, TPE, garbage)).isNull();

        assertThat(t.failures()).containsOnlyKeys(TPE);
        assertThat(t.applied()).isEmpty();
        MethodHook runWorker = ThreadPoolExecutorInstrumentation.hooks().get(0);
        assertThat(t.describeMissing(runWorker)).startsWith("cannot hook ThreadPoolExecutor.runWorker")
                .doesNotContain("no such method")
                .contains(t.failures().get(TPE));
        assertThat(logText()).contains("error: cannot hook ThreadPoolExecutor.runWorker")
                .contains("error: cannot hook ThreadPoolExecutor.processWorkerExit");
    }

    @Test
    void hookedCodePassesTheVerifierAndRunsOncePerCallEvenWhenTheMethodLoopsBackToItsStart() throws Exception {
        String target = "io/affinityagent/jdk/HookTarget";
        String bridge = "io/affinityagent/jdk/HookBridge";
        List<MethodHook> hooks = List.of(
                new EntryHook(target, "loop", "(Ljava/lang/Object;)V", "seen", "(Ljava/lang/Object;)V", 1),
                new EntryHook(target, "guarded", "(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/String;",
                        "seen", "(Ljava/lang/Object;)V", 1));
        EntryHookTransformer t = new EntryHookTransformer(bridge, hooks, log);
        byte[] original = ClassFileRenamerTest.classBytes(HookTarget.class);
        List<String> loopCode = listMethods(original).get("loop (Ljava/lang/Object;)V").code;
        assertThat(loopCode.get(0)).as("the loop's head is the method's first instruction").matches("L\\d+:");
        assertThat(loopCode).as("and something jumps back to it").contains("GOTO " + loopCode.get(0).replace(":", ""));

        byte[] transformed = t.insertHooks(original, hooks);
        assertHookedExactly(bridge, original, transformed, hooks);

        // Defined by a non-boot loader, so the JVM verifies it (stack map frames included).
        Class<?> hooked = new ThrowawayClassLoader().define(transformed);
        HookBridge.CALLS.clear();
        Object instance = hooked.getConstructor().newInstance();
        hooked.getMethod("loop", Object.class).invoke(instance, "loop-arg");
        assertThat(hooked.getField("count").getInt(instance)).isEqualTo(3);
        assertThat(hooked.getMethod("guarded", Object.class, String.class).invoke(null, "x", "abc")).isEqualTo("ABC");
        assertThat(hooked.getMethod("guarded", Object.class, String.class).invoke(null, "x", null)).isEqualTo("null");
        assertThat(HookBridge.CALLS).containsExactly("loop-arg", "abc", null);
    }
}
