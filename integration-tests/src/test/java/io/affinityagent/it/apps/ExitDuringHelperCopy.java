package io.affinityagent.it.apps;

import java.io.File;

/**
 * Ends the moment a copy of the agent's native helper appears in java.io.tmpdir (it prints SAW),
 * so that the JVM exits while the agent's start, beside main, has the copy on disk; or after ten
 * seconds without one (NONE).
 */
public final class ExitDuringHelperCopy {

    private ExitDuringHelperCopy() {
    }

    public static void main(String[] args) {
        File tmp = new File(System.getProperty("java.io.tmpdir"));
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            String[] names = tmp.list();
            if (names != null) {
                for (String name : names) {
                    if (name.startsWith("affinity-agent-")) {
                        System.out.println("SAW " + name);
                        return;
                    }
                }
            }
        }
        System.out.println("NONE");
    }
}
