package io.affinityagent.os;

import io.affinityagent.cpu.CpuSet;

/** Where pinning is impossible: every call fails with the reason, nothing is pinned. */
public final class UnsupportedCpuAffinity implements CpuAffinity {

    private final String reason;

    public UnsupportedCpuAffinity(String reason) {
        this.reason = reason;
    }

    @Override
    public boolean isSupported() {
        return false;
    }

    @Override
    public String unsupportedReason() {
        return reason;
    }

    @Override
    public void setCurrentThread(CpuSet mask) throws AffinityException {
        throw new AffinityException(reason, 0);
    }

    @Override
    public CpuSet getCurrentThread() throws AffinityException {
        throw new AffinityException(reason, 0);
    }

    @Override
    public void setThread(int nativeThreadId, CpuSet mask) throws AffinityException {
        throw new AffinityException(reason, 0);
    }

    @Override
    public CpuSet getThread(int nativeThreadId) throws AffinityException {
        throw new AffinityException(reason, 0);
    }

    @Override
    public int currentThreadId() {
        return -1;
    }
}
