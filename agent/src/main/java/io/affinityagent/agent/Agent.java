package io.affinityagent.agent;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.ConfigLoader;
import io.affinityagent.control.ControlChannel;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.engine.HookEvents;
import io.affinityagent.engine.PinExecutor;
import io.affinityagent.engine.PinObservers;
import io.affinityagent.engine.PinningEngine;
import io.affinityagent.engine.ReplanOutcome;
import io.affinityagent.engine.ReplanReason;
import io.affinityagent.engine.ReplanWords;
import io.affinityagent.jfr.EngineEvents;
import io.affinityagent.jdk.HookInstallation;
import io.affinityagent.jdk.ThreadDiscovery;
import io.affinityagent.log.AgentLog;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.HookTimes;
import io.affinityagent.registry.Reply;
import io.affinityagent.registry.RuleCounts;
import io.affinityagent.registry.StatusPublisher;
import io.affinityagent.registry.WorkerRegistry;
import java.util.List;

/**
 * The agent running in this JVM: the engine, the hooks that feed it, the channel commands come
 * through and the status it publishes. Takes commands (a new config, detach) and answers each
 * with a {@link Reply}.
 */
final class Agent implements ControlChannel.Listener {

    private final AgentLog log;
    private final AgentConfig firstConfig;
    private final PinningEngine engine;
    private final HookInstallation hooks;
    private final HookTimes hookTimes = new HookTimes();
    private final ControlChannel channel;
    private final LiveStatus status;
    private final AgentJmx jmx;
    private final CpuAffinity affinity;
    private final CpusetFollower cpuset;
    /** Set once the unmatched rules were reported (or an attach's sweep did it); read hooks run on one thread at a time. */
    private volatile boolean unmatchedReported;

    /**
     * @param discovery the running threads, for sweeps ({@link ThreadDiscovery#of} the JVM's
     *                  instrumentation, or {@link ThreadDiscovery#NONE})
     */
    /** What pins, said at start (CpuAffinity#backendName, and why not the native helper where it is not). */
    private final String backendLine;

    Agent(AgentLog log, AgentConfig config, CpuAffinity affinity, ControlChannel channel, Hooks hooks) {
        this.log = log;
        this.firstConfig = config;
        this.hooks = hooks.installation;
        this.channel = channel;
        WorkerRegistry registry = new WorkerRegistry();
        // The hooks are given to the engine before they can call it: the first pin always finds them.
        this.engine = new PinningEngine(registry, new PinExecutor(affinity, registry, log), hooks.installation,
                hooks.discovery);
        this.status = new LiveStatus(new StatusPublisher(channel.properties()), engine, hookTimes, channel.address());
        this.status.publisher().backend(affinity.backendName());
        // Observers: the JFR events (none without jdk.jfr) and the MXBean's registration.
        this.jmx = new AgentJmx(this, engine, hookTimes, affinity.backendName());
        engine.setObserver(PinObservers.of(EngineEvents.forThisJvm(engine), jmx));
        this.backendLine = "pinning through " + affinity.backendName()
                + (affinity.backendNote() != null ? " (" + affinity.backendNote() + ")" : "");
        this.affinity = affinity;
        this.cpuset = new CpusetFollower(log, engine, affinity, new Runnable() { // a class, not a lambda: premain path
            @Override
            public void run() {
                published();
            }
        });
    }

    /** What the JDK gives the agent: its hooks and a view of the threads already running. */
    static final class Hooks {
        final HookInstallation installation;
        final ThreadDiscovery discovery;

        Hooks(HookInstallation installation, ThreadDiscovery discovery) {
            this.installation = installation;
            this.discovery = discovery;
        }
    }

    PinningEngine engine() {
        return engine;
    }

    /**
     * At JVM start, on the background start's thread while the application runs: the hooks
     * first (the engine, still starting, lets their events pass), then the plan and a sweep of
     * the threads already running, which places the workers that started before the plan was
     * ready. Its lines are printed in one write, so an application that ends meanwhile leaves
     * none half-said. Rules that match nothing yet are said at the first read of the status.
     */
    void startInBackground() {
        engine.agentThread(Thread.currentThread()); // an any-thread rule's sweep must not take the start thread
        List<String> errors = new java.util.ArrayList<>(installHooks());
        // The lines are made before the plan is active: once the workers are placed, one write is left.
        List<String> info = new java.util.ArrayList<>();
        info.add(backendLine);
        info.addAll(PlanLines.of(firstConfig));
        List<String> warnings = new java.util.ArrayList<>();
        if (affinity.nativeCalls() == null && firstConfig.hasAnyThreadRules()) {
            warnings.add(noThreadStartWatch());
        }
        useHostLocks(firstConfig, null);
        ReplanOutcome outcome = activate(errors);
        warnings.addAll(outcome.problems());
        if (!outcome.unmapped().isEmpty()) {
            warnings.add(outcome.unmapped().size() + " thread(s) that started before the agent's plan was ready have no"
                    + " native thread id the agent could find, and run unpinned: " + String.join(", ", outcome.unmapped()));
        }
        log.lines(errors, warnings, info);
        published();
        channel.listen(this);
        cpuset.follow(firstConfig);
    }

    /**
     * The last step of the start at JVM start: the work before the first pin (hooking
     * java.lang.Thread, a retransformation, and sizing the common pool) done by the start thread,
     * beside the application, rather than on the start of the first worker a rule matches.
     */
    void prepareFirstPin() {
        if (!firstConfig.rules().isEmpty()) {
            engine.prepareFirstPin();
        }
    }

    /**
     * At attach: the hooks first (the engine, still starting, lets their events pass), then the
     * plan and the sweep of the threads already running, which also places any that started
     * in between.
     */
    void startAtAttach(Feedback say, Reply reply) {
        unmatchedReported = true; // the attach's own sweep reports them
        for (String problem : installHooks()) {
            say.error(problem);
        }
        useHostLocks(firstConfig, say);
        List<String> lateProblems = new java.util.ArrayList<>();
        ReplanOutcome outcome = activate(lateProblems);
        for (String problem : lateProblems) {
            say.error(problem);
        }
        channel.listen(this);
        log.info(backendLine);
        warnIfNoThreadStartWatch(say);
        PlanLines.log(log, firstConfig);
        report(outcome, say, reply);
        cpuset.follow(firstConfig);
    }

    /**
     * The first plan and its sweep; then the pool classes the application was loading as the
     * hooks went in are hooked, and if there were any the sweep is made again, for the workers
     * they started unhooked meanwhile.
     */
    private ReplanOutcome activate(List<String> problems) {
        ReplanOutcome outcome = engine.replan(firstConfig, ReplanReason.ATTACH);
        if (!hooks.hookLateLoads(problems).isEmpty()) {
            outcome = engine.replan(firstConfig, ReplanReason.ATTACH);
        }
        return outcome;
    }

    private List<String> installHooks() {
        // Thread is hooked now only if a rule needs it; else last in the start (JVM start) or before the first pin (attach).
        return hooks.install(HookEvents.handlers(engine, hookTimes), firstConfig.hasAnyThreadRules());
    }

    /** Where the backend is no native helper, there is no thread-start event: said once, if an any-thread rule would miss it. */
    private void warnIfNoThreadStartWatch(Feedback say) {
        if (affinity.nativeCalls() == null && firstConfig.hasAnyThreadRules()) {
            say.warn(noThreadStartWatch());
        }
    }

    private String noThreadStartWatch() {
        return "Thread subclasses that override run() are not pinned as they start: the JVM's thread-start event"
                + " comes through the agent's native helper, which is not what pins here (" + affinity.backendName()
                + "); an attach pins them once they run";
    }

    /** Publishes the plan, and the live lines where the channel does not write them on each read. */
    private void published() {
        status.planChanged();
        if (!channel.writesStatusOnRead()) {
            status.writeLiveLines();
        }
    }

    /** A command for the running agent: a new config, or detach. Publishes its reply. */
    void handle(AgentArguments args) {
        Reply reply = new Reply(args.request(), args.isDetach() ? "detach" : "attach");
        Feedback say = new Feedback(log, reply);
        try {
            if (!args.errors().isEmpty()) {
                for (String e : args.errors()) {
                    say.error("agent arguments: " + e);
                }
            } else if (args.isDetach()) {
                detach(reply);
            } else {
                reconfigure(args, say, reply, ReplanReason.RE_ATTACH);
            }
        } catch (RuntimeException | Error e) {
            say.error("the command failed: " + e);
        }
        publish(reply);
    }

    void publish(Reply reply) {
        if (reply.id() != null) {
            status.publisher().reply(reply);
        }
    }

    /**
     * A later attach (or a re-plan through JMX): the new config replaces the rules, and the
     * running threads follow it. Null when the config was refused (said to {@code say}).
     */
    private ReplanOutcome reconfigure(AgentArguments args, Feedback say, Reply reply, ReplanReason reason) {
        CpuSet processCpus = AgentStartup.processCpus(ProcFs.system(), say);
        if (processCpus == null) {
            return null;
        }
        ConfigLoader.Result result = AgentStartup.loadConfig(args, processCpus, say);
        if (!result.ok()) {
            AgentConfig current = engine.plan() == null ? null : engine.plan().config();
            say.error(AgentStartup.errorCount(result) + (current != null ? "; the agent keeps the rules of " + current.file()
                    : "; the agent stays detached") + ".");
            return null;
        }
        useHostLocks(result.config(), say);
        ReplanOutcome outcome = engine.replan(result.config(), reason);
        PlanLines.log(log, result.config());
        report(outcome, say, reply);
        cpuset.follow(result.config());
        return outcome;
    }

    /**
     * The MXBean's replan(file): loaded and checked as a later attach is, the same outcome.
     *
     * @throws IllegalArgumentException the config's problems, one a line; the plan stays as it was
     */
    String replanFromJmx(String configFile) {
        if (configFile == null || configFile.isBlank()) {
            throw new IllegalArgumentException("replan needs the path of a config file, as the JVM sees it");
        }
        synchronized (AgentMain.class) {
            AgentArguments args = AgentArguments.parse("config=" + configFile);
            if (!args.errors().isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", args.errors()));
            }
            Reply reply = new Reply(null, "attach");
            ReplanOutcome outcome;
            try {
                outcome = reconfigure(args, new Feedback(log, reply), reply, ReplanReason.JMX);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("the re-plan failed: " + e);
            }
            if (outcome == null) {
                throw new IllegalArgumentException(String.join("\n", reply.messages()));
            }
            StringBuilder sb = new StringBuilder("new config ").append(engine.plan().config().file()).append(": ")
                    .append(ReplanWords.of(outcome));
            for (String m : reply.messages()) {
                sb.append('\n').append(m);
            }
            return sb.toString();
        }
    }

    /** The MXBean's detach(), as {@code detach PID}. */
    String detachFromJmx() {
        synchronized (AgentMain.class) {
            Reply reply = new Reply(null, "detach");
            int n = detach(reply);
            if (!reply.messages().isEmpty()) {
                return String.join("\n", reply.messages());
            }
            return "detached: gave " + n + " worker" + (n == 1 ? "" : "s") + " the process's CPUs (" + processMask()
                    + ") back; new workers are left alone";
        }
    }

    /** Detach: no more pinning; every thread the agent placed gets the process's CPUs back. */
    private int detach(Reply reply) {
        if (engine.plan() == null) {
            reply.warning("the agent is detached already");
            reply.count(Reply.RELEASED, 0);
            return 0;
        }
        cpuset.stop();
        List<io.affinityagent.config.Rule> rules = engine.plan().config().rules();
        ReplanOutcome outcome = engine.detach();
        published();
        reply.count(Reply.RELEASED, outcome.released());
        log.info("detached: " + RuleCounts.released(byRule(outcome, rules, reply)) + " given the process's CPUs ("
                + processMask() + ") back; new threads are left alone");
        return outcome.released();
    }

    /**
     * The host-wide locks for a config with an exclusive rule, before its plan is made: OpenHFT's
     * lock files in its folder, loaded only now. The same locks are kept while the folder is, so
     * a CPU a new plan keeps stays locked throughout.
     */
    private void useHostLocks(AgentConfig config, Feedback say) {
        if (!config.hasExclusiveRule()) {
            return;
        }
        java.nio.file.Path dir = io.affinityagent.hostlock.LockDirectory.resolve(config.lockDirectory());
        io.affinityagent.hostlock.HostCpuLocks current = engine.hostLocks();
        if (current != null && current.directory().equals(dir)) {
            return;
        }
        io.affinityagent.hostlock.HostCpuLocks locks = io.affinityagent.hostlock.OpenHftLockFiles.open(dir,
                ProcFs.system().selfPid());
        String problem = locks.directoryProblem();
        if (problem != null) {
            if (say != null) {
                say.warn(problem);
            } else {
                log.warn(problem);
            }
        }
        engine.setHostLocks(locks);
        // OpenHFT's first lock file loads the JDK's locale data: done now, beside the application's start.
        Thread warm = new Thread(null, new Runnable() {
            @Override
            public void run() {
                io.affinityagent.hostlock.OpenHftLockFiles.warmUp();
            }
        }, "affinity-agent-lock-warm-up", 256 * 1024, false);
        warm.setDaemon(true);
        engine.agentThread(warm);
        warm.start();
    }

    private static String processMask() {
        try {
            return ProcFs.system().selfAllowedCpus().toString();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** Publishes a re-plan's result afresh and tells the command line and the log what it did. */
    private void report(ReplanOutcome outcome, Feedback say, Reply reply) {
        for (String problem : outcome.problems()) {
            say.warn(problem);
        }
        published();
        reply.count(Reply.PINNED, outcome.pinned());
        reply.count(Reply.KEPT, outcome.kept());
        reply.count(Reply.RELEASED, outcome.released());
        reply.count(Reply.UNMAPPED, outcome.unmapped().size());
        reply.count(Reply.FAILED, outcome.failed());
        if (!outcome.unmapped().isEmpty()) {
            say.warn(outcome.unmapped().size() + " running thread(s) matched a rule but have no native thread id"
                    + " the agent could find, and run as before (pool workers until their pools replace them): "
                    + String.join(", ", outcome.unmapped()));
        }
        for (String failure : outcome.failures()) {
            reply.warning("cannot pin " + failure);
        }
        for (String line : UnmatchedRules.lines(engine.plan().config().rules(), outcome.seen(), null)) {
            say.warn(line + " (threads that start later may still match)");
        }
        log.info((outcome.reason() == ReplanReason.ATTACH ? "attached" : "new config " + engine.plan().config().file())
                + ": " + RuleCounts.pinned("pinned", byRule(outcome, engine.plan().config().rules(), reply))
                + (outcome.kept() > 0 ? ", " + outcome.kept() + " already in place" : "")
                + (outcome.released() > 0 ? ", " + outcome.released() + " given the process's CPUs back" : "")
                + "; new threads are pinned as they start");
    }

    /** The outcome's counts by rule, in the config's order ({@code rules}, then any other), put in the reply too. */
    private static List<RuleCounts> byRule(ReplanOutcome outcome, List<io.affinityagent.config.Rule> rules, Reply reply) {
        java.util.Map<String, RuleCounts> counts = outcome.byRule();
        java.util.Map<String, RuleCounts> ordered = new java.util.LinkedHashMap<>();
        for (io.affinityagent.config.Rule r : rules) {
            RuleCounts c = counts.get(r.name());
            if (c != null) {
                ordered.put(r.name(), c);
            }
        }
        for (RuleCounts c : counts.values()) {
            ordered.putIfAbsent(c.rule(), c); // released from an earlier plan's rule
        }
        List<RuleCounts> out = new java.util.ArrayList<>(ordered.values());
        for (RuleCounts c : out) {
            reply.rule(c);
        }
        return out;
    }

    // ---- the control channel ----

    @Override
    public void command(String agentArguments) {
        synchronized (AgentMain.class) {
            handle(AgentArguments.parse(agentArguments));
        }
    }

    @Override
    public void writeStatus() {
        reportUnmatchedRulesOnce();
        status.writeLiveLines();
        // A status read is how JConsole, VisualVM and `jmx PID` are seen: they start the JVM's
        // JMX agent, then read the agent properties. Rare, so no throttle.
        jmx.registration().registerIfPlatformServerExists();
    }

    /**
     * For a JVM started with the agent: at the first read of the status (a command, status, an
     * attach client), by which time the application has started its threads, one line per rule
     * that has matched no thread yet. An attach says it from its own sweep instead.
     */
    private void reportUnmatchedRulesOnce() {
        if (unmatchedReported) {
            return;
        }
        unmatchedReported = true;
        if (engine.plan() == null) {
            return;
        }
        for (String line : UnmatchedRules.lines(engine.plan().config().rules(), engine.runningThreads(), engine.registry())) {
            // A note, not a warning: the application may start the threads later than this first read.
            log.info(line + " (so far; threads that start later may still match)");
        }
    }

    @Override
    public void problem(String sentence) {
        log.warnOnce("request/" + sentence, sentence);
    }
}
