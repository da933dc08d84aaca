package io.affinityagent.bench.suite;

/**
 * How long each benchmark runs. The full run is sized to finish in about eighteen minutes on a
 * 2-CPU machine; {@code --quick} is a smoke run that proves everything works, not a measurement.
 */
final class Settings {

    final boolean quick;
    /** JMH forks per arm; the arms alternate fork by fork. */
    final int jmhForks;
    final int jmhWarmupIterations;
    final int jmhIterations;
    final int jmhIterationMillis;
    /**
     * The task path's rounds (one fork of each arm, back to back): more than the other JMH
     * benchmarks, since its ratio is given with a paired 95% interval that needs them.
     */
    final int taskPathRounds;
    /** The raw pin-call benchmark has one arm per implementation: forks each. */
    final int pinCallForks;
    /** Whole-process worker starts: rounds (one process per arm and pool kind each), untimed and timed workers per process. */
    final int churnRounds;
    final int churnWarmup;
    final int churnWorkers;
    final int startupWarmupRounds;
    final int startupRounds;
    /** Extra untimed runs per arm with -Xlog:startuptime and class+load, to say what dominates. */
    final int startupExplainRuns;
    final int attachRounds;
    final int benefitRounds;
    final double benefitWarmupSeconds;
    final double benefitSeconds;

    private Settings(boolean quick, int jmhForks, int jmhWarmupIterations, int jmhIterations, int jmhIterationMillis,
                     int taskPathRounds, int pinCallForks, int churnRounds, int churnWarmup, int churnWorkers, int startupWarmupRounds, int startupRounds, int startupExplainRuns,
                     int attachRounds, int benefitRounds, double benefitWarmupSeconds, double benefitSeconds) {
        this.quick = quick;
        this.jmhForks = jmhForks;
        this.jmhWarmupIterations = jmhWarmupIterations;
        this.jmhIterations = jmhIterations;
        this.jmhIterationMillis = jmhIterationMillis;
        this.taskPathRounds = taskPathRounds;
        this.pinCallForks = pinCallForks;
        this.churnRounds = churnRounds;
        this.churnWarmup = churnWarmup;
        this.churnWorkers = churnWorkers;
        this.startupWarmupRounds = startupWarmupRounds;
        this.startupRounds = startupRounds;
        this.startupExplainRuns = startupExplainRuns;
        this.attachRounds = attachRounds;
        this.benefitRounds = benefitRounds;
        this.benefitWarmupSeconds = benefitWarmupSeconds;
        this.benefitSeconds = benefitSeconds;
    }

    static Settings full() {
        return new Settings(false, 5, 2, 4, 1000, 16, 2, 8, 1000, 4000, 3, 20, 3, 8, 5, 1, 5);
    }

    static Settings quick() {
        return new Settings(true, 1, 1, 2, 300, 2, 1, 1, 100, 300, 1, 4, 1, 2, 1, 0.5, 1.5);
    }

    /** The task path's rounds on two CPUs, for information only (the target reads the one-CPU set). */
    int taskPathTwoCpuRounds() {
        return Math.max(1, taskPathRounds / 4);
    }

    String describe() {
        return "JMH: " + jmhForks + " fork(s) per arm (the task path: " + taskPathRounds + " on one CPU, "
                + taskPathTwoCpuRounds() + " on two), alternating, each "
                + jmhWarmupIterations + " warm-up and "
                + jmhIterations + " measured iterations of " + jmhIterationMillis + " ms; whole-process worker starts: "
                + churnRounds + " rounds, " + churnWarmup + " untimed and " + churnWorkers + " timed workers per process;"
                + " start-up: " + startupWarmupRounds
                + " warm-up and " + startupRounds + " measured rounds of every arm in shuffled order; attach: "
                + attachRounds + " rounds; benefit: " + benefitRounds + " rounds of both arms, " + benefitWarmupSeconds
                + " s warm-up and " + benefitSeconds + " s measured each";
    }
}
