package io.affinityagent.os;

import com.sun.jna.LastErrorException;
import io.affinityagent.cpu.CpuSet;
import java.io.IOException;
import java.util.BitSet;
import net.openhft.affinity.impl.LinuxHelper;
import net.openhft.affinity.impl.LinuxJNAAffinity;

/**
 * The fallback: pins through OpenHFT's Java-Thread-Affinity (its JNA binding of libc's
 * sched_setaffinity), where the jar has no native helper for the CPU (ppc64le, s390x,
 * riscv64...) or the helper cannot be loaded. Only {@link CpuAffinities} names this class, and
 * only after the helper failed, so on x86-64 and aarch64 neither it nor OpenHFT, JNA or SLF4J is
 * ever loaded. It lives in the agent's isolated class loader with its libraries, so the
 * application's own JNA or OpenHFT, of any version, is never touched; JNA extracts its
 * libjnidispatch for this CPU from the agent jar (inst/com/sun/jna/linux-ARCH/) through that loader.
 *
 * <p>Thread ids come from /proc/thread-self rather than OpenHFT's getThreadId(), whose gettid
 * system call number is x86-64's on every 64-bit CPU but PowerPC (wrong on aarch64, s390x and
 * riscv64); another thread's mask is read from /proc, as OpenHFT reads only the caller's.
 */
final class OpenHftCpuAffinity implements CpuAffinity {

    private final String arch;
    private final ProcFs procFs;
    private final String whyNotHelper;

    private OpenHftCpuAffinity(String arch, ProcFs procFs, String whyNotHelper) {
        this.arch = arch;
        this.procFs = procFs;
        this.whyNotHelper = whyNotHelper;
    }

    /**
     * Loads JNA and OpenHFT's libc binding and reads this thread's mask through it; throws, with
     * the reason, when it cannot (OpenHFT itself would only log it and fall back to pinning
     * nothing, and its log goes nowhere here).
     */
    static OpenHftCpuAffinity load(String arch, ProcFs procFs, String whyNotHelper) throws AffinityException {
        JnaLibraryPath.setIfUnset(arch); // else JNA runs /sbin/ldconfig, a process in the application
        try {
            LinuxHelper.sched_getaffinity(); // throws JNA's own error when its native part cannot load
        } catch (IllegalStateException e) {
            throw affinityError("OpenHFT's sched_getaffinity failed", e);
        }
        if (!LinuxJNAAffinity.LOADED) {
            throw new AffinityException("OpenHFT's LinuxJNAAffinity did not load", 0);
        }
        return new OpenHftCpuAffinity(arch, procFs, whyNotHelper);
    }

    @Override
    public boolean isSupported() {
        return true;
    }

    @Override
    public String unsupportedReason() {
        return null;
    }

    @Override
    public String backendName() {
        return "OpenHFT/JNA (linux-" + arch + ")";
    }

    @Override
    public String backendNote() {
        return whyNotHelper;
    }

    @Override
    public void setCurrentThread(CpuSet mask) throws AffinityException {
        setThread(0, mask);
    }

    @Override
    public CpuSet getCurrentThread() throws AffinityException {
        try {
            return CpuSet.fromMaskWords(LinuxJNAAffinity.INSTANCE.getAffinity().toLongArray());
        } catch (IllegalStateException e) {
            throw affinityError("sched_getaffinity(this thread) failed", e);
        }
    }

    @Override
    public void setThread(int tid, CpuSet mask) throws AffinityException {
        if (mask.isEmpty()) {
            throw new AffinityException("refusing to pin to an empty CPU set", 0);
        }
        try {
            LinuxHelper.sched_setaffinity(tid, BitSet.valueOf(mask.toMaskWords(1)));
        } catch (IllegalStateException e) {
            int errno = errnoOf(e);
            throw new AffinityException("sched_setaffinity(" + (tid == 0 ? "this thread" : "thread " + tid) + ", CPUs "
                    + mask + ") through OpenHFT failed: " + LinuxCpuAffinity.explain(errno, mask), errno);
        }
    }

    @Override
    public CpuSet getThread(int tid) throws AffinityException {
        if (tid == 0) {
            return getCurrentThread();
        }
        try {
            return procFs.threadAllowedCpus(procFs.selfPid(), tid);
        } catch (IOException e) {
            throw new AffinityException("cannot read thread " + tid + "'s CPUs from /proc: " + e.getMessage(),
                    LinuxCpuAffinity.Errno.ESRCH);
        }
    }

    @Override
    public int currentThreadId() {
        return procFs.currentThreadId();
    }

    private static AffinityException affinityError(String what, IllegalStateException e) {
        int errno = errnoOf(e);
        return new AffinityException(what + ": " + (errno != 0 ? LinuxCpuAffinity.explain(errno, null) : e.getMessage()),
                errno);
    }

    /** OpenHFT reports errno in the cause (a LastErrorException) or as "...; errno=N" in its message. */
    static int errnoOf(Throwable e) {
        if (e.getCause() instanceof LastErrorException) {
            return ((LastErrorException) e.getCause()).getErrorCode();
        }
        String m = e.getMessage();
        int at = m == null ? -1 : m.lastIndexOf("errno=");
        if (at < 0) {
            return 0;
        }
        int end = at + "errno=".length();
        int n = 0;
        while (end < m.length() && Character.isDigit(m.charAt(end))) {
            n = n * 10 + (m.charAt(end++) - '0');
        }
        return n;
    }
}
