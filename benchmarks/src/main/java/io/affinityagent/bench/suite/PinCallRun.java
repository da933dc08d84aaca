package io.affinityagent.bench.suite;

import io.affinityagent.bench.jmh.PinCallBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** 2b. One set-affinity call: the agent's JNI helper against OpenHFT's JNA-based calls. */
final class PinCallRun {

    private static final String[][] METHODS = {
        {"agentJniHelper", "affinity-agent's JNI helper (`LinuxCpuAffinity.setCurrentThread`)"},
        {"openhftLinuxHelper", "OpenHFT `LinuxHelper.sched_setaffinity(BitSet)` (JNA)"},
        {"openhftLinuxJnaAffinity", "OpenHFT `LinuxJNAAffinity.INSTANCE.setAffinity(BitSet)` (JNA)"},
    };

    private PinCallRun() {
    }

    static Section run(Environment env, Settings settings, Progress progress) throws Exception {
        Section section = new Section("2b", "The raw pin call: our JNI helper against OpenHFT (JNA)");
        section.text("One `sched_setaffinity` on the calling thread to the mask it already has, so only the call is"
                + " measured, not a migration. JMH `" + PinCallBenchmark.class.getSimpleName() + "`, average time per call"
                + " in microseconds, no agent, " + settings.pinCallForks + " fork(s) each. It backs the choice of a JNI"
                + " helper over OpenHFT's affinity library (net.openhft:affinity 3.27ea0, which builds a JNA `cpu_set_t`"
                + " Structure on every call).");
        section.blank();
        JmhArms jmh = new JmhArms(env, settings, progress);
        List<JmhArms.Arm> only = List.of(new JmhArms.Arm("no agent", false, List.of()));
        List<List<String>> rows = new ArrayList<>();
        double ours = Double.NaN;
        List<Double> medians = new ArrayList<>();
        for (String[] m : METHODS) {
            progress.step("pin call: " + m[0]);
            Samples s = jmh.run(PinCallBenchmark.class, m[0], only, settings.pinCallForks).iterations.get("no agent");
            if (Double.isNaN(ours)) {
                ours = s.median();
            }
            medians.add(s.median());
            rows.add(List.of(m[1], s.describe("%.3f"), String.format(Locale.ROOT, "%.1f×", s.median() / ours)));
        }
        section.text("Figures are the measured iterations of all forks.");
        section.blank();
        section.table(List.of("implementation", "µs per call", "× ours"), rows);
        section.info("Pin call: ours / OpenHFT LinuxHelper", String.format(Locale.ROOT, "%.3f µs / %.3f µs (%.0f× faster)",
                ours, medians.get(1), medians.get(1) / ours));
        return section;
    }
}
