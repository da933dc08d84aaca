package io.affinityagent.os;

import io.affinityagent.config.CpuContext;
import io.affinityagent.config.CpuList;
import io.affinityagent.config.CpuListException;
import io.affinityagent.cpu.CpuSet;

/**
 * For the integration tests only: makes pinning to some CPUs throw an unchecked exception, as a
 * bug in the agent's own code on a worker start would, so that the tests can show that such a
 * failure never reaches the application. Turned on by the system property
 * {@value #PROPERTY}{@code =CPUS} (a CPU list), read once when the agent starts; when it is not
 * set, which is always outside those tests, the agent uses the OS layer as it is and this class
 * is never loaded. Not an agent option: it is no part of what users configure.
 */
public final class InjectedPinFault implements CpuAffinity {

    public static final String PROPERTY = "affinity-agent.test.throw-on-pin";

    private final CpuAffinity real;
    private final CpuSet cpus;

    private InjectedPinFault(CpuAffinity real, CpuSet cpus) {
        this.real = real;
        this.cpus = cpus;
    }

    /** {@code real}, whose pins to any of {@code cpuList} throw. */
    public static CpuAffinity wrap(CpuAffinity real, String cpuList) throws CpuListException {
        return new InjectedPinFault(real, CpuList.parse(cpuList).resolve(CpuContext.of(CpuSet.empty())));
    }

    public CpuSet cpus() {
        return cpus;
    }

    @Override
    public boolean isSupported() {
        return real.isSupported();
    }

    @Override
    public String unsupportedReason() {
        return real.unsupportedReason();
    }

    @Override
    public void setCurrentThread(CpuSet mask) throws AffinityException {
        if (mask.intersects(cpus)) {
            throw new IllegalStateException("fault injected by " + PROPERTY + " on a pin to CPUs " + mask);
        }
        real.setCurrentThread(mask);
    }

    @Override
    public CpuSet getCurrentThread() throws AffinityException {
        return real.getCurrentThread();
    }

    @Override
    public void setThread(int nativeThreadId, CpuSet mask) throws AffinityException {
        if (mask.intersects(cpus)) {
            throw new IllegalStateException("fault injected by " + PROPERTY + " on a pin to CPUs " + mask);
        }
        real.setThread(nativeThreadId, mask);
    }

    @Override
    public CpuSet getThread(int nativeThreadId) throws AffinityException {
        return real.getThread(nativeThreadId);
    }

    @Override
    public int currentThreadId() {
        return real.currentThreadId();
    }
}
