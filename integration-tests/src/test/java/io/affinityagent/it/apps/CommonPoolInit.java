package io.affinityagent.it.apps;

/** Initialises ForkJoinPool, as the agent does before its first pin, and exits: what that loads. */
public final class CommonPoolInit {

    private CommonPoolInit() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        Class.forName("java.util.concurrent.ForkJoinPool", true, null);
    }
}
