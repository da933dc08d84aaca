package io.affinityagent.agent;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.ConfigProblem;
import io.affinityagent.config.OnError;
import io.affinityagent.control.ControlChannel;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.jdk.HookInstaller;
import io.affinityagent.jdk.JavaBaseDefiner;
import io.affinityagent.jdk.JvmAgentProperties;
import io.affinityagent.jdk.ThreadDiscovery;
import io.affinityagent.log.AgentLog;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.MachineCpuContext;
import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.StatusPublisher;
import java.io.IOException;
import java.lang.instrument.Instrumentation;

/**
 * The checks before the agent starts, in order, each ending start-up with one clear line when it
 * fails: not running already, the arguments, Linux, the process's CPUs, the config, the native
 * helper. Then the running {@link Agent} is put together; the caller starts it.
 */
final class AgentStartup {

    private final Instrumentation inst;
    private final Feedback say;
    /** At JVM start with on-error = fail, a refusal stops the JVM. */
    private final boolean atJvmStart;

    private AgentStartup(Instrumentation inst, Feedback say, boolean atJvmStart) {
        this.inst = inst;
        this.say = say;
        this.atJvmStart = atJvmStart;
    }

    static AgentStartup atJvmStart(Instrumentation inst, AgentLog log) {
        return new AgentStartup(inst, new Feedback(log, null), true);
    }

    /** At JVM start, once {@code main} may be running: a refusal never stops the JVM (premain checked what on-error = fail needs). */
    static AgentStartup inBackground(Instrumentation inst, AgentLog log) {
        return new AgentStartup(inst, new Feedback(log, null), false);
    }

    static AgentStartup atAttach(Instrumentation inst, Feedback say) {
        return new AgentStartup(inst, say, false);
    }

    /** The agent, put together but not started; null when it refused (and said why). */
    Agent prepare(AgentArguments args) {
        ConfigLoader.Result checked = check(args);
        return checked == null ? null : assemble(checked);
    }

    /**
     * The checks up to the config, each a refusal that on-error = fail turns into the JVM's exit:
     * the loaded config, or null when start-up ends here (said why).
     */
    ConfigLoader.Result check(AgentArguments args) {
        if (HookInstaller.bridgeAlreadyDefined()) {
            String message = "another copy of affinity-agent (another jar) is already active in this JVM; this one does"
                    + " nothing";
            say.log().warn(message);
            say.replyError(message);
            return null;
        }
        if (!args.errors().isEmpty()) {
            for (String e : args.errors()) {
                say.error("agent arguments: " + e);
            }
            refuse(args.onError());
            return null;
        }
        ProcFs procFs = ProcFs.system();
        if (!procFs.isAvailable()) {
            say.error("affinity-agent pins threads on Linux only (it needs /proc and sched_setaffinity); this JVM runs on "
                    + System.getProperty("os.name") + ". Nothing is pinned; the application runs as usual.");
            return null;
        }
        CpuSet processCpus = processCpus(procFs, say);
        if (processCpus == null) {
            refuse(args.onError());
            return null;
        }
        ConfigLoader.Result result = loadConfig(args, processCpus, say);
        if (!result.ok()) {
            say.error(errorCount(result) + "; nothing is pinned.");
            refuse(result.onError());
            return null;
        }
        return result;
    }

    /** The rest of start-up after {@link #check}: the native helper and the control channel; null when pinning is unavailable (said). */
    Agent assemble(ConfigLoader.Result result) {
        CpuAffinity affinity = loadAffinity();
        if (!affinity.isSupported()) {
            say.error("pinning is unavailable: " + affinity.unsupportedReason() + ". The application runs unpinned.");
            new StatusPublisher(JvmAgentProperties.open(inst)).backend("none: " + affinity.unsupportedReason());
            return null;
        }
        // The agent properties, and how later commands arrive; a swap of one object, so start-up pays nothing for it.
        ControlChannel channel = ControlChannel.choose(inst, ProcFs.system().selfPid());
        return new Agent(say.log(), result.config(), affinity, channel,
                new Agent.Hooks(new HookInstaller(inst, say.log(), affinity.nativeCalls()), ThreadDiscovery.of(inst)));
    }

    /** The CPUs this process may use now; null (said) when /proc cannot tell. */
    static CpuSet processCpus(ProcFs procFs, Feedback say) {
        try {
            return procFs.selfAllowedCpus();
        } catch (IOException e) {
            say.error("cannot read the CPUs this process may use from /proc/self/status: " + e.getMessage());
            return null;
        }
    }

    static ConfigLoader.Result loadConfig(AgentArguments args, CpuSet processCpus, Feedback say) {
        // The layout (sysfs) is read only if a rule needs it.
        ConfigLoader.Result result = ConfigLoader.load(args.config().toAbsolutePath(), new MachineCpuContext(processCpus),
                new ConfigLoader.Overrides(args.onError(), args.logLevel()));
        if (result.ok()) {
            say.log().setLevel(result.logLevel()); // a refused config does not change how the agent logs
        }
        for (ConfigProblem p : result.forStartupLog()) { // check's order; overlaps summed up in one line
            if (p.isError()) {
                say.error(p.toString());
            } else {
                say.warn(p.toString());
            }
        }
        return result;
    }

    static String errorCount(ConfigLoader.Result result) {
        int n = result.errors().size();
        return "the config has " + n + (n == 1 ? " error" : " errors");
    }

    /** The native helper, loaded from java.base (see bootstrap.NativeCalls), else the OpenHFT/JNA fallback, or why neither can be. */
    private CpuAffinity loadAffinity() {
        try {
            return CpuAffinities.load(JavaBaseDefiner.define(inst, NativeCalls.class));
        } catch (Throwable t) {
            return CpuAffinities.withoutHelper("cannot define the native helper's class in java.base: " + t);
        }
    }

    /** A bad start: carry on unpinned, or with on-error = fail at JVM start, stop the JVM with status 1. */
    private void refuse(OnError onError) {
        if (atJvmStart && onError == OnError.FAIL) {
            say.log().error("on-error = fail: the JVM will not start.");
            // Throwing from premain would abort the JVM with a native crash report; exit is clean.
            System.exit(1);
        }
        say.log().error("the application continues, unpinned.");
    }
}
