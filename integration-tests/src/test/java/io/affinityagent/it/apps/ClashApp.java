package io.affinityagent.it.apps;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import org.objectweb.asm.ClassReader;

/**
 * An application with its own (other) versions of ByteBuddy, JNA and ASM on its class path,
 * which it really uses, and a pool for the agent to pin. Prints one line:
 * {@code CLASH bytebuddy=... jna=... asm=... workers=tid:cpus,tid:cpus}.
 */
public final class ClashApp {

    /** libc through the application's own JNA. */
    public interface LibC extends Library {
        int getpid();
    }

    private ClashApp() {
    }

    public static void main(String[] args) throws Exception {
        // ByteBuddy: generate and load a class.
        Class<?> generated = new ByteBuddy(ClassFileVersion.JAVA_V11).subclass(Object.class)
                .method(ElementMatchers.named("toString")).intercept(FixedValue.value("made by the app's ByteBuddy"))
                .make().load(ClashApp.class.getClassLoader()).getLoaded();
        String byteBuddy = generated.getDeclaredConstructor().newInstance().toString();
        // JNA: call libc.
        int pid = Native.load("c", LibC.class).getpid();
        // ASM: read a class of our own.
        String asm = new ClassReader(ClashApp.class.getName()).getClassName();

        AgentStarted.await(); // the agent has started, so the workers below are pinned as they start
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "order-" + r.hashCode()));
        StringBuilder workers = new StringBuilder();
        CountDownLatch both = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            pool.execute(() -> {
                String line = PoolLab.threadSelfId() + ":" + PoolLab.allowedCpus();
                synchronized (workers) {
                    workers.append(workers.length() > 0 ? "," : "").append(line);
                }
                both.countDown();
                try {
                    both.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        both.await();
        pool.shutdown();
        System.out.println("CLASH bytebuddy=" + jarOf(ByteBuddy.class)
                + " (" + byteBuddy + ") jna=" + Native.VERSION + " from " + jarOf(Native.class) + " getpid=" + (pid == Long.parseLong(PoolLab.selfPid()))
                + " asm=" + asm + " from " + jarOf(ClassReader.class) + " workers=" + workers);
    }

    private static String jarOf(Class<?> c) {
        return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().getPath()).getFileName().toString();
    }
}
