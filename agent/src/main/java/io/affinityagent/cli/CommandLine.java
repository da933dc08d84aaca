package io.affinityagent.cli;

/** {@code java -jar affinity-agent.jar ...}: placeholder until the command line lands. */
public final class CommandLine {
    private CommandLine() {
    }

    public static int run(String[] args) {
        System.err.println("[affinity-agent] the command line is not built yet");
        return 2;
    }
}
