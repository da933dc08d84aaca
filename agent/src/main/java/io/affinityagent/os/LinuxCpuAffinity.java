package io.affinityagent.os;

import io.affinityagent.cpu.CpuSet;

/**
 * sched_setaffinity / sched_getaffinity through the agent's small JNI helper: about a
 * millisecond to load (JNA's first load costs over 100 ms), and a call costs what the system
 * call costs. OpenHFT's LinuxHelper, which allocates a JNA Structure per call, measured about
 * 0.3 ms a call here (see benchmarks/RESULTS.md).
 */
public final class LinuxCpuAffinity implements CpuAffinity {

    /** glibc's cpu_set_t: 1024 CPUs. Larger masks are used when a CPU id needs them. */
    private static final int MIN_MASK_WORDS = 16;
    /** The largest mask the helper takes: CpuSet.MAX_CPU + 1 bits. */
    private static final int MAX_MASK_WORDS = (CpuSet.MAX_CPU + 1) / 64;

    private final NativeHelper calls;
    private final String arch;
    private final Class<?> nativeCalls;

    private LinuxCpuAffinity(NativeHelper calls, String arch, Class<?> nativeCalls) {
        this.calls = calls;
        this.arch = arch;
        this.nativeCalls = nativeCalls;
    }

    /**
     * Loads the native helper through {@code nativeCalls} (bootstrap.NativeCalls, or its copy
     * in java.base); throws, with the reason, when it cannot.
     */
    static LinuxCpuAffinity load(Class<?> nativeCalls) throws java.io.IOException, ReflectiveOperationException {
        String arch = System.getProperty("os.arch");
        return new LinuxCpuAffinity(NativeHelper.load(nativeCalls, arch), arch, nativeCalls);
    }

    @Override
    public String backendName() {
        return "native helper linux-" + arch;
    }

    @Override
    public Class<?> nativeCalls() {
        return nativeCalls;
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
    public void setCurrentThread(CpuSet mask) throws AffinityException {
        setThread(0, mask);
    }

    @Override
    public int pinCurrentThread(CpuSet mask) throws AffinityException {
        if (mask.isEmpty()) {
            throw new AffinityException("refusing to pin to an empty CPU set", 0);
        }
        int tidOrError = mask.maskWordCount() == 1 ? calls.pinSelf(mask.maskWord(0))
                : calls.pinSelf(mask.kernelMask(MIN_MASK_WORDS));
        if (tidOrError < 0) {
            throw new AffinityException("sched_setaffinity(" + describe(0) + ", CPUs " + mask + ") failed: "
                    + explain(-tidOrError, mask), -tidOrError);
        }
        return tidOrError;
    }

    @Override
    public CpuSet getCurrentThread() throws AffinityException {
        return getThread(0);
    }

    @Override
    public void setThread(int tid, CpuSet mask) throws AffinityException {
        if (mask.isEmpty()) {
            throw new AffinityException("refusing to pin to an empty CPU set", 0);
        }
        int errno = calls.setAffinity(tid, mask.kernelMask(MIN_MASK_WORDS));
        if (errno != 0) {
            throw new AffinityException("sched_setaffinity(" + describe(tid) + ", CPUs " + mask + ") failed: "
                    + explain(errno, mask), errno);
        }
    }

    @Override
    public CpuSet getThread(int tid) throws AffinityException {
        for (int words = MIN_MASK_WORDS; ; words *= 2) {
            long[] mask = new long[words];
            int errno = calls.getAffinity(tid, mask);
            if (errno == 0) {
                return CpuSet.fromMaskWords(mask);
            }
            // EINVAL: the kernel's mask is larger than our buffer; try a larger one.
            if (errno != Errno.EINVAL || words >= MAX_MASK_WORDS) {
                throw new AffinityException("sched_getaffinity(" + describe(tid) + ") failed: " + explain(errno, null),
                        errno);
            }
        }
    }

    @Override
    public int currentThreadId() {
        return calls.gettid();
    }

    /** The CPU the calling thread is running on now. */
    public int currentCpu() {
        return calls.getcpu();
    }

    private static String describe(int tid) {
        return tid == 0 ? "this thread" : "thread " + tid;
    }

    static String explain(int errno, CpuSet mask) {
        switch (errno) {
            case Errno.EINVAL:
                return mask == null ? "invalid argument (EINVAL)"
                        : "none of CPUs " + mask + " is one this thread may use (EINVAL): offline, or outside"
                        + " the process's cpuset";
            case Errno.EPERM:
                return "not permitted (EPERM): the thread belongs to another user, or a CPU is reserved";
            case Errno.ESRCH:
                return "no such thread (ESRCH): it has exited";
            case Errno.EFAULT:
                return "bad address (EFAULT)";
            default:
                return "errno " + errno;
        }
    }

    /** The errno values the calls above document. */
    static final class Errno {
        static final int EPERM = 1;
        static final int ESRCH = 3;
        static final int EFAULT = 14;
        static final int EINVAL = 22;

        private Errno() {
        }
    }
}
