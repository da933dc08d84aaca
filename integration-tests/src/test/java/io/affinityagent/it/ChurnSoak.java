package io.affinityagent.it;

import io.affinityagent.registry.StatusPublisher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The churn of {@link ChurnIT} for as long as asked, against the real agent, on the JDK that runs
 * this class: rounds of 100,000 worker deaths (each checked as in CI) until the time is up, then
 * the loads, the heap after a full GC round by round, and the counters. Not a test: run it with
 * {@code integration-tests/soak.sh MINUTES [DEATHS_PER_ROUND]}. Exits 1 when a check fails.
 */
public final class ChurnSoak {

    private ChurnSoak() {
    }

    public static void main(String[] args) throws IOException {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        long deathsPerRound = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
        long deadline = System.nanoTime() + (long) (minutes * 60e9);
        Path dir = Files.createTempDirectory("affinity-soak");
        Jdk jdk = Jdk.current();
        System.out.println("soak: " + jdk + ", rounds of " + deathsPerRound + " deaths for " + minutes + " minutes, agent "
                + TargetJvm.AGENT_JAR);
        List<Churn.Round> rounds = new ArrayList<>();
        int status = 0;
        TargetJvm jvm = Churn.start(jdk, dir);
        try {
            Churn churn = new Churn(jvm, Duration.ofHours(1));
            do {
                Churn.Round r = churn.round(deathsPerRound, 0);
                rounds.add(r);
                System.out.println("soak: round " + r.number + ": " + r.deaths + " deaths, " + r.expired + " expiries, "
                        + r.tasks + " tasks in " + r.churnMillis + " ms; heap after full GC " + r.heapAfterFullGc + " bytes");
            } while (System.nanoTime() - deadline < 0);
            long growth = rounds.get(rounds.size() - 1).heapAfterFullGc - rounds.get(0).heapAfterFullGc;
            if (growth >= ChurnIT.HEAP_GROWTH_BOUND) {
                throw new AssertionError("the heap after a full GC grew by " + growth + " bytes from round 1 to round "
                        + rounds.size() + " (bound " + ChurnIT.HEAP_GROWTH_BOUND + ")");
            }
            printEnd(jvm, rounds, growth);
            System.out.println("soak: passed");
        } catch (AssertionError | RuntimeException e) {
            System.out.println("soak: FAILED: " + e.getMessage());
            e.printStackTrace(System.out);
            System.out.println("soak: target stderr:\n" + String.join("\n", jvm.stderr()));
            status = 1;
        } finally {
            jvm.close();
            Files.deleteIfExists(dir.resolve("affinity.properties"));
            Files.deleteIfExists(dir);
        }
        System.exit(status);
    }

    private static void printEnd(TargetJvm jvm, List<Churn.Round> rounds, long growth) {
        long deaths = 0;
        long expiries = 0;
        long millis = 0;
        StringBuilder heap = new StringBuilder();
        for (Churn.Round r : rounds) {
            deaths += r.deaths;
            expiries += r.expired;
            millis += r.churnMillis;
            heap.append(heap.length() > 0 ? ", " : "").append(r.heapAfterFullGc);
        }
        System.out.println("soak: " + rounds.size() + " rounds, " + deaths + " worker deaths and " + expiries
                + " expiries in " + millis / 1000 + " s of churn");
        System.out.println("soak: heap after a full GC, bytes, round by round: " + heap + " (growth " + growth + ")");
        System.out.println("soak: loads in the last round's wave, every pool busy:\n"
                + rounds.get(rounds.size() - 1).busyRules.stripTrailing());
        Properties status = jvm.agentProperties();
        System.out.println("soak: the agent's published status at the end (loads, counters):");
        for (String key : new TreeSet<>(status.stringPropertyNames())) {
            if (key.startsWith(StatusPublisher.PREFIX)) {
                System.out.println("  " + key + " = " + status.getProperty(key));
            }
        }
        System.out.println("soak: the application's own count: " + jvm.command("counts"));
    }
}
