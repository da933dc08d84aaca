package io.affinityagent.agent;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.ConfigProblem;
import io.affinityagent.config.OnError;
import io.affinityagent.config.Rule;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.instrument.HookInstaller;
import io.affinityagent.instrument.JavaBaseDefiner;
import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.os.UnsupportedCpuAffinity;
import io.affinityagent.log.AgentLog;
import io.affinityagent.log.LogLevel;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.MachineCpuContext;
import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.StatusPublisher;
import io.affinityagent.registry.WorkerRegistry;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * The agent's entry points inside its isolated module, called by the launcher:
 * {@link #premain} at JVM start and {@link #agentmain} when attached. Loads the config; if it
 * is bad, says why and does nothing (or, with on-error = fail at start-up, stops the JVM
 * cleanly); else installs the hooks and starts pinning.
 */
public final class AgentMain {

    /** This agent's version, from the jar's manifest. */
    static final String VERSION = versionOf(AgentMain.class);

    /** The running agent of this JVM, or null. */
    private static volatile AgentMain running;

    private final AgentLog log;
    private final WorkerPinner pinner;
    private final HookInstaller installer;

    private AgentMain(AgentLog log, WorkerPinner pinner, HookInstaller installer) {
        this.log = log;
        this.pinner = pinner;
        this.installer = installer;
    }

    public static AgentMain running() {
        return running;
    }

    public WorkerPinner pinner() {
        return pinner;
    }

    public static synchronized void premain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    public static synchronized void agentmain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    private static void start(String argumentText, Instrumentation inst, boolean atJvmStart) {
        AgentArguments args = AgentArguments.parse(argumentText);
        AgentLog log = AgentLog.toStderr(args.logLevel() != null ? args.logLevel() : LogLevel.INFO);
        if (running != null) {
            log.warn("affinity-agent is already running in this JVM; this copy does nothing"
                    + (atJvmStart ? " (is -javaagent given twice?)" : ""));
            return;
        }
        if (HookInstaller.bridgeAlreadyDefined()) {
            log.warn("another copy of affinity-agent (another jar) is already active in this JVM; this one does nothing");
            return;
        }
        if (!args.errors().isEmpty()) {
            for (String e : args.errors()) {
                log.error("agent arguments: " + e);
            }
            refuse(log, args.onError() == OnError.FAIL && atJvmStart);
            return;
        }

        ProcFs procFs = ProcFs.system();
        if (!procFs.isAvailable()) {
            String os = System.getProperty("os.name");
            log.error("affinity-agent pins threads on Linux only (it needs /proc and sched_setaffinity); this JVM"
                    + " runs on " + os + ". Nothing is pinned; the application runs as usual.");
            return;
        }
        CpuSet processCpus;
        try {
            processCpus = procFs.selfAllowedCpus();
        } catch (IOException e) {
            log.error("cannot read the CPUs this process may use from /proc/self/status: " + e.getMessage());
            refuse(log, args.onError() == OnError.FAIL && atJvmStart);
            return;
        }

        // The layout (sysfs) is read only if a rule needs it.
        ConfigLoader.Result result = ConfigLoader.load(args.config().toAbsolutePath(),
                new MachineCpuContext(processCpus),
                new ConfigLoader.Overrides(args.onError(), args.logLevel()));
        log.setLevel(result.logLevel());
        for (ConfigProblem p : result.problems()) {
            if (p.isError()) {
                log.error(p.toString());
            } else {
                log.warn(p.toString());
            }
        }
        if (!result.ok()) {
            int n = result.errors().size();
            log.error("the config has " + n + (n == 1 ? " error" : " errors") + "; nothing is pinned.");
            refuse(log, result.onError() == OnError.FAIL && atJvmStart);
            return;
        }
        AgentConfig config = result.config();

        CpuAffinity affinity = loadAffinity(inst);
        if (!affinity.isSupported()) {
            log.error("pinning is unavailable: " + affinity.unsupportedReason() + ". The application runs unpinned.");
            return;
        }

        Plan plan = Plan.of(config);
        StatusPublisher status = new StatusPublisher(JvmAgentProperties.open(inst));
        status.planChanged(VERSION, config.file().toString(), config.rules());
        WorkerPinner pinner = new WorkerPinner(plan, new WorkerRegistry(), affinity, log, status);
        pinner.publishRules();
        HookInstaller installer = new HookInstaller(inst, log);
        List<String> problems = installer.install(pinner.hookHandlers(), plan.hasAnyThreadRules());
        pinner.setBeforeFirstPin(new Runnable() { // a class, not a lambda: premain path
            @Override
            public void run() {
                for (String problem : installer.hookThreads()) {
                    log.error(problem + "; threads started by pinned threads keep their parent's mask");
                }
            }
        });
        for (String problem : problems) {
            log.error(problem);
        }
        running = new AgentMain(log, pinner, installer);
        if (config.usesTopology()) {
            log.info("topology: " + config.topology().summary() + " (from " + config.topology().source() + ")");
        }
        if (!config.reserved().isEmpty()) {
            log.info("reserved: CPU" + (config.reserved().size() > 1 ? "s " : " ") + config.reserved()
                    + " (no rule uses them)");
        }
        for (Rule r : config.rules()) {
            log.info("rule " + r.name() + " (" + r.selectorText() + "): CPUs " + r.cpus() + ", "
                    + r.strategy().configName() + layoutOf(r, config));
        }
    }

    /** For a strategy that uses the layout: {@code  over 2 cores on 1 socket}. */
    private static String layoutOf(Rule r, AgentConfig config) {
        if (!r.strategy().usesTopology()) {
            return "";
        }
        io.affinityagent.cpu.CpuTopology within = config.topology().restrictTo(r.cpus());
        int cores = within.cores().size();
        int sockets = within.sockets().length;
        return " over " + cores + (cores == 1 ? " core" : " cores") + " on " + sockets
                + (sockets == 1 ? " socket" : " sockets");
    }

    private static String versionOf(Class<?> c) {
        try (java.io.InputStream in = c.getResourceAsStream("version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** The native helper, loaded from java.base (see bootstrap.NativeCalls), or why it cannot be. */
    private static CpuAffinity loadAffinity(Instrumentation inst) {
        try {
            return CpuAffinities.load(JavaBaseDefiner.define(inst, NativeCalls.class));
        } catch (Throwable t) {
            return new UnsupportedCpuAffinity("cannot define the native helper's class in java.base: " + t);
        }
    }

    /** Bad config: carry on unpinned, or with on-error = fail at JVM start, stop the JVM with status 1. */
    private static void refuse(AgentLog log, boolean stopJvm) {
        if (stopJvm) {
            log.error("on-error = fail: the JVM will not start.");
            // Throwing from premain would abort the JVM with a native crash report; exit is clean.
            System.exit(1);
        }
        log.error("the application continues, unpinned.");
    }
}
