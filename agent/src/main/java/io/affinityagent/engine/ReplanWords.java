package io.affinityagent.engine;

/**
 * A re-plan's outcome in the command line's words ("re-pinned 3 running workers (1 already in
 * place), gave 2 workers the process's CPUs back"), for the JMX reply and the JFR event.
 */
public final class ReplanWords {

    private ReplanWords() {
    }

    public static String of(ReplanOutcome outcome) {
        StringBuilder sb = new StringBuilder(96);
        if (outcome.reason() == ReplanReason.DETACH) {
            sb.append("detached: gave ").append(count(outcome.released(), "worker")).append(" the process's CPUs back");
            return sb.toString();
        }
        sb.append(outcome.reason() == ReplanReason.ATTACH ? "pinned " : "re-pinned ")
                .append(count(outcome.pinned(), "running worker"));
        if (outcome.kept() > 0) {
            sb.append(" (").append(outcome.kept()).append(" already in place)");
        }
        if (outcome.released() > 0) {
            sb.append(", gave ").append(count(outcome.released(), "worker")).append(" the process's CPUs back");
        }
        if (outcome.failed() > 0) {
            sb.append(", ").append(count(outcome.failed(), "pin")).append(" failed");
        }
        if (!outcome.unmapped().isEmpty()) {
            sb.append(", ").append(count(outcome.unmapped().size(), "matched worker")).append(" without a native id left as"
                    + " they were");
        }
        return sb.append("; new workers are pinned as they start").toString();
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
