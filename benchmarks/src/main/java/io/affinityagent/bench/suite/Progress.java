package io.affinityagent.bench.suite;

/** What the suite prints while it runs: one line per step, so a long run shows where it is. */
final class Progress {

    private final long start = System.nanoTime();

    void step(String text) {
        System.out.printf("[%5.0f s] %s%n", elapsed(), text);
        System.out.flush();
    }

    void detail(String text) {
        System.out.printf("[%5.0f s]     %s%n", elapsed(), text);
        System.out.flush();
    }

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }
}
