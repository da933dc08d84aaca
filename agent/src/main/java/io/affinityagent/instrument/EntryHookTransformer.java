package io.affinityagent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import io.affinityagent.log.AgentLog;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Inserts the {@link EntryHook}s into JDK classes as they are (re)transformed. A plain ASM
 * pass that copies every method unchanged but the hooked ones, which get two or three
 * instructions at their start; a few dozen ASM classes instead of ByteBuddy's thousand, which
 * is what keeps the agent's start-up small (see docs/ARCHITECTURE.md).
 */
final class EntryHookTransformer implements ClassFileTransformer {

    private final String bridgeInternalName;
    private final AgentLog log;
    private final Map<String, List<EntryHook>> hooksByClass = new HashMap<>();
    private final Set<EntryHook> applied = ConcurrentHashMap.newKeySet();
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    EntryHookTransformer(String bridgeInternalName, List<EntryHook> hooks, AgentLog log) {
        this.bridgeInternalName = bridgeInternalName;
        this.log = log;
        for (EntryHook h : hooks) {
            List<EntryHook> forClass = hooksByClass.get(h.className());
            if (forClass == null) {
                forClass = new ArrayList<>();
                hooksByClass.put(h.className(), forClass);
            }
            forClass.add(h);
        }
    }

    /** The hooks that have been written into a class so far. */
    Set<EntryHook> applied() {
        return applied;
    }

    /** Classes whose transformation threw, with the reason. */
    Map<String, String> failures() {
        return failures;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader != null || className == null) {
            return null; // our targets are all java.base classes, defined by the boot loader
        }
        List<EntryHook> hooks = hooksByClass.get(className);
        if (hooks == null) {
            return null;
        }
        try {
            byte[] out = insertHooks(classfileBuffer, hooks);
            for (EntryHook h : hooks) {
                if (!applied.contains(h)) {
                    log.error(describeMissing(h) + "; those workers are not pinned");
                }
            }
            return out;
        } catch (Throwable t) {
            // Returning null keeps the class as it was: the pool works, unpinned.
            failures.put(className, String.valueOf(t));
            for (EntryHook h : hooks) {
                log.error(describeMissing(h) + "; those workers are not pinned");
            }
            return null;
        }
    }

    /** Why a hook is not in place, in one sentence. */
    String describeMissing(EntryHook h) {
        String why = failures.get(h.className());
        return "cannot hook " + h.describe() + h.methodDescriptor() + ": "
                + (why != null ? why : "no such method in this JDK (" + System.getProperty("java.version") + ")");
    }

    byte[] insertHooks(byte[] classfile, List<EntryHook> hooks) {
        ClassReader reader = new ClassReader(classfile);
        // Passing the reader lets ASM copy untouched methods byte for byte; our insertions
        // neither branch nor leave values on the stack, so existing stack map frames stay valid.
        ClassWriter writer = new ClassWriter(reader, 0);
        List<EntryHook> inserted = new ArrayList<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                for (EntryHook hook : hooks) {
                    if (hook.methodName().equals(name) && hook.methodDescriptor().equals(descriptor)) {
                        inserted.add(hook);
                        return new EntryCallInserter(mv, hook);
                    }
                }
                return mv;
            }
        }, 0);
        byte[] out = writer.toByteArray();
        applied.addAll(inserted);
        return out;
    }

    private final class EntryCallInserter extends MethodVisitor {
        private final EntryHook hook;

        EntryCallInserter(MethodVisitor next, EntryHook hook) {
            super(Opcodes.ASM9, next);
            this.hook = hook;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            for (int slot : hook.argumentSlots()) {
                super.visitVarInsn(Opcodes.ALOAD, slot);
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, bridgeInternalName, hook.bridgeMethod(),
                    hook.bridgeDescriptor(), false);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, hook.argumentSlots().length), maxLocals);
        }
    }
}
