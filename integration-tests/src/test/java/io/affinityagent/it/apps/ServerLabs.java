package io.affinityagent.it.apps;

import java.io.File;

/** What the server labs share: the response that names the handling thread, and a deadline. */
final class ServerLabs {

    private ServerLabs() {
    }

    /** {@code <thread name> <tid> <allowed CPUs>}: who handles this request, and where it may run. */
    static String whoAmI() {
        return Thread.currentThread().getName() + " " + PoolLab.threadSelfId() + " " + PoolLab.allowedCpus() + "\n";
    }

    /** Ends the JVM after this many seconds, whatever happens: a lab never outlives its test. */
    static void stopAfter(int seconds) {
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            System.exit(3);
        }, "deadline");
        deadline.setDaemon(true);
        deadline.start();
    }

    static void delete(File f) {
        File[] children = f.listFiles();
        if (children != null) {
            for (File c : children) {
                delete(c);
            }
        }
        f.delete();
    }
}
