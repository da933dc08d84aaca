package io.affinityagent.agent;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.ConfigProblem;
import io.affinityagent.config.CpuListException;
import io.affinityagent.config.OnError;
import io.affinityagent.config.Rule;
import io.affinityagent.control.ReadHookProperties;
import io.affinityagent.control.RequestInbox;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.discovery.InProcessThreadDump;
import io.affinityagent.discovery.RunningPoolWorkers;
import io.affinityagent.discovery.RunningWorker;
import io.affinityagent.discovery.ThreadDump;
import io.affinityagent.instrument.HookHandlers;
import io.affinityagent.instrument.HookInstaller;
import io.affinityagent.instrument.JavaBaseDefiner;
import io.affinityagent.log.AgentLog;
import io.affinityagent.log.LogLevel;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.InjectedPinFault;
import io.affinityagent.os.MachineCpuContext;
import io.affinityagent.os.ProcFs;
import io.affinityagent.os.UnsupportedCpuAffinity;
import io.affinityagent.registry.Reply;
import io.affinityagent.registry.StatusPublisher;
import io.affinityagent.registry.WorkerRegistry;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Properties;

/**
 * The agent's entry points inside its isolated module, called by the launcher:
 * {@link #premain} at JVM start and {@link #agentmain} when attached. Loads the config; if it
 * is bad, says why and does nothing (or, with on-error = fail at start-up, stops the JVM
 * cleanly); else installs the hooks and starts pinning.
 *
 * <p>When attached, it also pins the pool workers that are running already. Once running, it
 * takes later commands (a new config, detach) from a second load of the agent or, without one,
 * from a request file it reads when an attach client reads its status (see the control
 * package); each command's outcome is published as a {@link Reply}.
 */
public final class AgentMain {

    /** This agent's version, from the jar's manifest. */
    static final String VERSION = versionOf(AgentMain.class);

    /** The running agent of this JVM, or null. */
    private static volatile AgentMain running;

    private final Instrumentation inst;
    private final AgentLog log;
    private final WorkerPinner pinner;
    private final HookInstaller installer;
    private final StatusPublisher status;
    private volatile RequestInbox inbox;
    private volatile String controlFile;
    /** The config in force; null once detached. */
    private AgentConfig config;

    private AgentMain(Instrumentation inst, AgentLog log, WorkerPinner pinner, HookInstaller installer,
                      StatusPublisher status, AgentConfig config) {
        this.inst = inst;
        this.log = log;
        this.pinner = pinner;
        this.installer = installer;
        this.status = status;
        this.config = config;
    }

    public static AgentMain running() {
        return running;
    }

    public WorkerPinner pinner() {
        return pinner;
    }

    public static synchronized void premain(String args, Instrumentation inst) {
        start(AgentArguments.parse(args), inst, true, null);
    }

    public static synchronized void agentmain(String argumentText, Instrumentation inst) {
        AgentArguments args = AgentArguments.parse(argumentText);
        AgentMain agent = running;
        if (agent != null) {
            agent.handle(args);
            return;
        }
        Reply reply = new Reply(args.request(), args.isDetach() ? "detach" : "attach");
        if (args.isDetach()) {
            reply.warning("the agent is not running in this JVM; there is nothing to detach");
        } else {
            agent = start(args, inst, false, reply);
            if (agent != null) {
                agent.pinRunningWorkers(reply, true);
            }
        }
        publishReply(agent != null ? agent.status : new StatusPublisher(JvmAgentProperties.open(inst)), reply);
    }

    private static void publishReply(StatusPublisher publisher, Reply reply) {
        if (reply.id() != null) {
            publisher.reply(reply);
        }
    }

    /** Starts the agent; returns it, or null when it refused (and said why, to the log and the reply). */
    private static AgentMain start(AgentArguments args, Instrumentation inst, boolean atJvmStart, Reply reply) {
        AgentLog log = AgentLog.toStderr(args.logLevel() != null ? args.logLevel() : LogLevel.INFO);
        if (running != null) {
            log.warn("affinity-agent is already running in this JVM; this copy does nothing"
                    + (atJvmStart ? " (is -javaagent given twice?)" : ""));
            return null;
        }
        if (HookInstaller.bridgeAlreadyDefined()) {
            String message = "another copy of affinity-agent (another jar) is already active in this JVM; this one does"
                    + " nothing";
            log.warn(message);
            if (reply != null) {
                reply.error(message);
            }
            return null;
        }
        if (!args.errors().isEmpty()) {
            for (String e : args.errors()) {
                error(log, reply, "agent arguments: " + e);
            }
            refuse(log, args.onError() == OnError.FAIL && atJvmStart);
            return null;
        }

        ProcFs procFs = ProcFs.system();
        if (!procFs.isAvailable()) {
            String os = System.getProperty("os.name");
            error(log, reply, "affinity-agent pins threads on Linux only (it needs /proc and sched_setaffinity); this JVM"
                    + " runs on " + os + ". Nothing is pinned; the application runs as usual.");
            return null;
        }
        CpuSet processCpus;
        try {
            processCpus = procFs.selfAllowedCpus();
        } catch (IOException e) {
            error(log, reply, "cannot read the CPUs this process may use from /proc/self/status: " + e.getMessage());
            refuse(log, args.onError() == OnError.FAIL && atJvmStart);
            return null;
        }

        ConfigLoader.Result result = loadConfig(args, processCpus, log, reply);
        if (!result.ok()) {
            error(log, reply, errorCount(result) + "; nothing is pinned.");
            refuse(log, result.onError() == OnError.FAIL && atJvmStart);
            return null;
        }
        AgentConfig config = result.config();

        CpuAffinity affinity = loadAffinity(inst);
        if (!affinity.isSupported()) {
            error(log, reply, "pinning is unavailable: " + affinity.unsupportedReason() + ". The application runs unpinned.");
            return null;
        }
        String fault = System.getProperty(InjectedPinFault.PROPERTY); // for the integration tests only
        if (fault != null) {
            try {
                affinity = InjectedPinFault.wrap(affinity, fault);
                log.warn(InjectedPinFault.PROPERTY + "=" + fault + ": pins to CPUs " + ((InjectedPinFault) affinity).cpus()
                        + " throw on purpose (a test fault; never set it in production)");
            } catch (CpuListException e) {
                log.error(InjectedPinFault.PROPERTY + "=" + fault + " ignored: " + e.getMessage());
            }
        }

        // The agent properties, with the hook through which later commands arrive and before
        // which the status is written; a swap of one object, so start-up pays nothing for it.
        ReadHookProperties hooked = JvmAgentProperties.openWithReadHook(inst);
        Properties sink = hooked != null ? hooked : JvmAgentProperties.open(inst);
        StatusPublisher status = new StatusPublisher(sink, hooked != null);
        Plan plan = Plan.of(config);
        WorkerPinner pinner = new WorkerPinner(plan, new WorkerRegistry(), affinity, log, status);
        HookInstaller installer = new HookInstaller(inst, log);
        AgentMain agent = new AgentMain(inst, log, pinner, installer, status, config);
        if (hooked != null) {
            agent.listenForReads(procFs, hooked);
        }
        status.planChanged(VERSION, config.file().toString(), config.rules(), agent.controlFile);
        if (!status.refreshedOnRead()) {
            pinner.publishRules(); // else written before each read, so premain need not
        }
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
            error(log, reply, problem);
        }
        running = agent;
        logPlan(log, config);
        return agent;
    }

    /**
     * Whenever the agent properties are read: act on a request in the request file (where later
     * commands arrive), then write the status afresh.
     */
    private void listenForReads(ProcFs procFs, ReadHookProperties hooked) {
        long pid = procFs.selfPid();
        if (pid > 0) { // else no /proc/self: the command line loads the agent for each command instead
            inbox = RequestInbox.forThisProcess(pid);
            controlFile = inbox.file().toString();
        }
        hooked.setOnRead(new Runnable() {
            @Override
            public void run() {
                onAgentPropertiesRead();
            }
        });
    }

    /**
     * On the Attach Listener thread, before the properties are sent: act on a request if one
     * waits, then bring the status up to date.
     */
    private void onAgentPropertiesRead() {
        RequestInbox box = inbox;
        if (box != null) {
            RequestInbox.Found found = box.take(System.currentTimeMillis());
            if (found.problem() != null) {
                log.warnOnce("request/" + found.problem(), found.problem());
            }
            if (found.request() != null) {
                synchronized (AgentMain.class) {
                    handle(AgentArguments.parse(found.request().arguments()));
                }
            }
        }
        pinner.publishAll();
    }

    /** A command for the running agent: a new config, or detach. */
    private void handle(AgentArguments args) {
        Reply reply = new Reply(args.request(), args.isDetach() ? "detach" : "attach");
        try {
            if (!args.errors().isEmpty()) {
                for (String e : args.errors()) {
                    error(log, reply, "agent arguments: " + e);
                }
            } else if (args.isDetach()) {
                detach(reply);
            } else {
                reconfigure(args, reply);
            }
        } catch (RuntimeException | Error e) {
            error(log, reply, "the command failed: " + e);
        }
        publishReply(status, reply);
    }

    /** A second attach: the new config replaces the rules, and the running workers follow it. */
    private void reconfigure(AgentArguments args, Reply reply) {
        CpuSet processCpus;
        try {
            processCpus = ProcFs.system().selfAllowedCpus();
        } catch (IOException e) {
            error(log, reply, "cannot read the CPUs this process may use from /proc/self/status: " + e.getMessage());
            return;
        }
        ConfigLoader.Result result = loadConfig(args, processCpus, log, reply);
        if (!result.ok()) {
            error(log, reply, errorCount(result) + (config != null ? "; the agent keeps the rules of " + config.file()
                    : "; the agent stays detached") + ".");
            return;
        }
        config = result.config();
        Plan plan = Plan.of(config);
        pinner.registry().resetCounters();
        pinner.setPlan(plan);
        for (String problem : installer.install(pinner.hookHandlers(), plan.hasAnyThreadRules())) {
            error(log, reply, problem);
        }
        logPlan(log, config);
        pinRunningWorkers(reply, false);
    }

    /** Detach: no more pinning; every worker the agent pinned gets the process's CPUs back. */
    private void detach(Reply reply) {
        if (config == null) {
            reply.warning("the agent is detached already");
            reply.count(Reply.RELEASED, 0);
            return;
        }
        config = null;
        pinner.setPlan(null);
        // New workers are left alone; exits are still noted, so that a later attach never takes
        // a slot for a worker that is on its way out.
        installer.setHandlers(new HookHandlers(null, pinner.exitHandler(), null, null, null));
        WorkerPinner.Sweep sweep = pinner.applyToRunning(List.of(), null);
        pinner.registry().resetCounters();
        status.planChanged(VERSION, null, null, controlFile);
        reply.count(Reply.RELEASED, sweep.released());
        log.info("detached: " + sweep.released() + " worker" + (sweep.released() == 1 ? "" : "s")
                + " given the process's CPUs (" + pinner.processMask() + ") back; new workers are left alone");
    }

    /**
     * Applies the plan to the pool workers that are running: finds them, maps the ones not
     * pinned yet to native ids through a thread dump, pins or re-pins them, and publishes the
     * result afresh. Problems leave the hooks in place: the workers are pinned when replaced.
     */
    private void pinRunningWorkers(Reply reply, boolean firstAttach) {
        List<RunningWorker> found = List.of();
        try {
            found = RunningPoolWorkers.open(inst).find();
        } catch (Throwable t) {
            warn(log, reply, "cannot find the pool workers that are running already (" + t + "); they are pinned"
                    + " when their pools replace them, new workers as they start");
        }
        ThreadDump dump = null;
        if (pinner.needsNativeIds(found)) {
            try {
                dump = ThreadDump.parse(InProcessThreadDump.take(inst));
            } catch (Throwable t) {
                warn(log, reply, "cannot map the running workers to native thread ids (" + t + "); they are pinned"
                        + " when their pools replace them, new workers as they start");
            }
        }
        WorkerPinner.Sweep sweep = pinner.applyToRunning(found, dump);

        // Publish everything afresh: the old plan's rules and threads are gone.
        status.planChanged(VERSION, config.file().toString(), config.rules(), controlFile);
        pinner.publishAll();

        reply.count(Reply.PINNED, sweep.pinned());
        reply.count(Reply.KEPT, sweep.kept());
        reply.count(Reply.RELEASED, sweep.released());
        reply.count(Reply.UNMAPPED, sweep.unmapped().size());
        reply.count(Reply.FAILED, sweep.failed());
        if (!sweep.unmapped().isEmpty()) {
            warn(log, reply, sweep.unmapped().size() + " running worker(s) matched a rule but have no native thread id"
                    + " the agent could find, and run as before until their pools replace them: "
                    + String.join(", ", sweep.unmapped()));
        }
        for (String failure : sweep.failures()) {
            reply.warning("cannot pin " + failure);
        }
        log.info((firstAttach ? "attached" : "new config " + config.file()) + ": " + sweep.pinned() + " running worker"
                + (sweep.pinned() == 1 ? "" : "s") + " pinned" + (sweep.kept() > 0 ? ", " + sweep.kept() + " already in place" : "")
                + (sweep.released() > 0 ? ", " + sweep.released() + " given the process's CPUs back" : "")
                + "; new workers are pinned as they start");
    }

    private static ConfigLoader.Result loadConfig(AgentArguments args, CpuSet processCpus, AgentLog log, Reply reply) {
        // The layout (sysfs) is read only if a rule needs it.
        ConfigLoader.Result result = ConfigLoader.load(args.config().toAbsolutePath(), new MachineCpuContext(processCpus),
                new ConfigLoader.Overrides(args.onError(), args.logLevel()));
        if (result.ok()) {
            log.setLevel(result.logLevel()); // a refused config does not change how the agent logs
        }
        for (ConfigProblem p : result.forStartupLog()) { // check's order; overlaps summed up in one line
            if (p.isError()) {
                error(log, reply, p.toString());
            } else {
                warn(log, reply, p.toString());
            }
        }
        return result;
    }

    private static String errorCount(ConfigLoader.Result result) {
        int n = result.errors().size();
        return "the config has " + n + (n == 1 ? " error" : " errors");
    }

    private static void error(AgentLog log, Reply reply, String message) {
        log.error(message);
        if (reply != null) {
            reply.error(message);
        }
    }

    private static void warn(AgentLog log, Reply reply, String message) {
        log.warn(message);
        if (reply != null) {
            reply.warning(message);
        }
    }

    /** The start-up summary: the layout and reserved CPUs if the config uses them, one line per rule. */
    private static void logPlan(AgentLog log, AgentConfig config) {
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
