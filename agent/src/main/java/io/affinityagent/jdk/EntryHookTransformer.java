package io.affinityagent.jdk;

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
 * Inserts the {@link MethodHook}s into JDK classes as they are (re)transformed. A plain ASM
 * pass that copies every method unchanged but the hooked ones, which get two or three
 * instructions at their start (or before their returns); a few dozen ASM classes instead of
 * ByteBuddy's thousand, which is what keeps the agent's start-up small (see docs/ARCHITECTURE.md).
 */
final class EntryHookTransformer implements ClassFileTransformer {

    private final String bridgeInternalName;
    private final AgentLog log;
    private final Map<String, List<MethodHook>> hooksByClass = new HashMap<>();
    private final Set<MethodHook> applied = ConcurrentHashMap.newKeySet();
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    EntryHookTransformer(String bridgeInternalName, List<MethodHook> hooks, AgentLog log) {
        this.bridgeInternalName = bridgeInternalName;
        this.log = log;
        for (MethodHook h : hooks) {
            List<MethodHook> forClass = hooksByClass.get(h.className());
            if (forClass == null) {
                forClass = new ArrayList<>();
                hooksByClass.put(h.className(), forClass);
            }
            forClass.add(h);
        }
    }

    /** The hooks that have been written into a class so far. */
    Set<MethodHook> applied() {
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
        List<MethodHook> hooks = hooksByClass.get(className);
        if (hooks == null) {
            return null;
        }
        try {
            byte[] out = insertHooks(classfileBuffer, hooks);
            for (MethodHook h : hooks) {
                if (!applied.contains(h) && !h.optional()) {
                    log.error(describeMissing(h) + "; those workers are not pinned");
                }
            }
            return out;
        } catch (Throwable t) {
            // Returning null keeps the class as it was: the pool works, unpinned.
            failures.put(className, String.valueOf(t));
            for (MethodHook h : hooks) {
                log.error(describeMissing(h) + "; those workers are not pinned");
            }
            return null;
        }
    }

    /** Why a hook is not in place, in one sentence. */
    String describeMissing(MethodHook h) {
        String why = failures.get(h.className());
        return "cannot hook " + h.describe() + h.methodDescriptor() + ": "
                + (why != null ? why : "no such method in this JDK (" + System.getProperty("java.version") + ")");
    }

    byte[] insertHooks(byte[] classfile, List<MethodHook> hooks) {
        ClassReader reader = new ClassReader(classfile);
        // Passing the reader lets ASM copy untouched methods byte for byte; our insertions
        // neither branch nor leave values on the stack, so existing stack map frames stay valid.
        ClassWriter writer = new ClassWriter(reader, 0);
        List<MethodHook> inserted = new ArrayList<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                for (MethodHook hook : hooks) {
                    if (hook.methodName().equals(name) && hook.methodDescriptor().equals(descriptor)) {
                        inserted.add(hook);
                        return hook.inserter(mv, bridgeInternalName);
                    }
                }
                return mv;
            }
        }, 0);
        byte[] out = writer.toByteArray();
        applied.addAll(inserted);
        return out;
    }
}
