package io.affinityagent.jdk;

/** Methods shaped to trip up an entry hook: a loop back to offset 0, a handler, a static with arguments. */
public final class HookTarget {

    public int count;

    /** javac puts the loop test at offset 0 and jumps back to it: a hook must run once, not per turn. */
    public void loop(Object arg) {
        while (count < 3) {
            count++;
        }
    }

    public static String guarded(Object first, String second) {
        try {
            return second.toUpperCase();
        } catch (NullPointerException e) {
            return "null";
        }
    }
}
