package io.affinityagent.jmx;

import io.affinityagent.os.ProcFs;
import java.util.ArrayList;
import java.util.List;

/** The MXBean over the agent's read model; what the kernel says of each worker is read from /proc when asked. */
final class AffinityAgentBean implements AffinityAgentMXBean {

    private final AgentReadModel model;
    private final String version;
    private final ProcFs procFs;
    private final long pid;

    AffinityAgentBean(AgentReadModel model, String version, ProcFs procFs) {
        this.model = model;
        this.version = version;
        this.procFs = procFs;
        this.pid = procFs.selfPid();
    }

    @Override
    public String getVersion() {
        return version;
    }

    @Override
    public String getState() {
        return model.plan().getState();
    }

    @Override
    public String getConfigFile() {
        return model.plan().getConfigFile();
    }

    @Override
    public String getBackend() {
        return model.plan().getBackend();
    }

    @Override
    public String getProcessCpus() {
        return model.plan().getProcessCpus();
    }

    @Override
    public List<RuleSnapshot> getRules() {
        return model.plan().getRules();
    }

    @Override
    public List<WorkerSnapshot> getWorkers() {
        List<WorkerSnapshot> out = new ArrayList<>();
        for (WorkerSnapshot w : model.workers()) {
            ProcFs.ThreadInfo t = w.getNativeId() > 0 ? procFs.thread(pid, (int) w.getNativeId()) : null;
            out.add(t == null ? w : w.withKernel(t.allowedCpus().toString(), t.lastCpu()));
        }
        return out;
    }

    @Override
    public long getWorkersMatched() {
        long n = 0;
        for (RuleSnapshot r : getRules()) {
            n += r.getMatched();
        }
        return n;
    }

    @Override
    public long getWorkersPinned() {
        long n = 0;
        for (RuleSnapshot r : getRules()) {
            n += r.getPinned();
        }
        return n;
    }

    @Override
    public long getPinsFailed() {
        long n = 0;
        for (RuleSnapshot r : getRules()) {
            n += r.getFailed();
        }
        return n;
    }

    @Override
    public long getWorkersExited() {
        long n = 0;
        for (RuleSnapshot r : getRules()) {
            n += r.getExited();
        }
        return n;
    }

    @Override
    public List<HookTimeSnapshot> getOwnTime() {
        return model.ownTime();
    }

    @Override
    public String replan(String configFile) {
        if (configFile == null || configFile.isBlank()) {
            throw new IllegalArgumentException("replan needs the path of a config file the JVM can read");
        }
        return model.replan(configFile);
    }

    @Override
    public String detach() {
        return model.detach();
    }
}
