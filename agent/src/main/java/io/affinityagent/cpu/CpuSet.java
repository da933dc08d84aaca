package io.affinityagent.cpu;

import java.util.Arrays;

/**
 * An immutable set of CPU ids, the unit every other package talks in: a rule's CPUs, a
 * worker's mask, the process's allowed CPUs. Printed in the kernel's list syntax ("0-3,8").
 */
public final class CpuSet {

    /**
     * Largest CPU id accepted anywhere. Linux builds top out at NR_CPUS = 8192, so a larger id
     * is a typo, not a machine.
     */
    public static final int MAX_CPU = 8191;

    private static final CpuSet EMPTY = new CpuSet(new long[0]);

    private final long[] words; // bit i of words[i / 64]; no trailing zero words
    /** {@link #kernelMask}'s last answer, made once per set, not per pin; null before. */
    private volatile long[] kernelMask;

    private CpuSet(long[] words) {
        this.words = words;
    }

    public static CpuSet empty() {
        return EMPTY;
    }

    public static CpuSet of(int... cpus) {
        Builder b = builder();
        for (int cpu : cpus) {
            b.add(cpu);
        }
        return b.build();
    }

    /** CPUs from first to last inclusive; a reversed range is a mistake, not an empty set. */
    public static CpuSet range(int first, int last) {
        if (last < first) {
            throw new IllegalArgumentException("reversed range " + first + "-" + last);
        }
        Builder b = builder();
        b.addRange(first, last, 1);
        return b.build();
    }

    /** Reads a kernel mask: bit i of the little-endian words is CPU i. */
    public static CpuSet fromMaskWords(long[] maskWords) {
        return new CpuSet(trim(maskWords.clone()));
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean contains(int cpu) {
        int w = cpu >>> 6;
        return cpu >= 0 && w < words.length && (words[w] & (1L << cpu)) != 0;
    }

    public boolean isEmpty() {
        return words.length == 0;
    }

    public int size() {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** The lowest CPU, or -1 when empty. */
    public int first() {
        return next(0);
    }

    /** The lowest CPU at or above {@code from}, or -1. */
    public int next(int from) {
        if (from < 0) {
            from = 0;
        }
        int w = from >>> 6;
        if (w >= words.length) {
            return -1;
        }
        long word = words[w] & (-1L << from);
        while (true) {
            if (word != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(word);
            }
            if (++w == words.length) {
                return -1;
            }
            word = words[w];
        }
    }

    /** The CPUs in ascending order. */
    public int[] toArray() {
        int[] out = new int[size()];
        int i = 0;
        for (int cpu = first(); cpu >= 0; cpu = next(cpu + 1)) {
            out[i++] = cpu;
        }
        return out;
    }

    /** The CPU at position {@code index} in ascending order (numactl's "+N"), or -1. */
    public int nth(int index) {
        int i = 0;
        for (int cpu = first(); cpu >= 0; cpu = next(cpu + 1)) {
            if (i++ == index) {
                return cpu;
            }
        }
        return -1;
    }

    /** The mask as kernel words, at least {@code minWords} long (sched_setaffinity's buffer). */
    public long[] toMaskWords(int minWords) {
        return Arrays.copyOf(words, Math.max(minWords, words.length));
    }

    /**
     * The mask as kernel words, at least {@code minWords} long, shared: made once and handed to
     * every caller, who must not change it. For the system call a pin makes, so that pinning
     * allocates nothing.
     */
    public long[] kernelMask(int minWords) {
        long[] m = kernelMask;
        if (m == null || m.length != Math.max(minWords, words.length)) {
            m = toMaskWords(minWords);
            kernelMask = m;
        }
        return m;
    }

    public int maskWordCount() {
        return words.length;
    }

    /** Word {@code i} of the kernel mask (CPUs 64i to 64i+63); 0 past the last. */
    public long maskWord(int i) {
        return i < words.length ? words[i] : 0;
    }

    public CpuSet intersect(CpuSet other) {
        long[] out = new long[Math.min(words.length, other.words.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = words[i] & other.words[i];
        }
        return new CpuSet(trim(out));
    }

    public CpuSet union(CpuSet other) {
        long[] out = Arrays.copyOf(words, Math.max(words.length, other.words.length));
        for (int i = 0; i < other.words.length; i++) {
            out[i] |= other.words[i];
        }
        return new CpuSet(trim(out));
    }

    public CpuSet minus(CpuSet other) {
        long[] out = words.clone();
        for (int i = 0; i < Math.min(out.length, other.words.length); i++) {
            out[i] &= ~other.words[i];
        }
        return new CpuSet(trim(out));
    }

    public boolean containsAll(CpuSet other) {
        return other.minus(this).isEmpty();
    }

    public boolean intersects(CpuSet other) {
        return !intersect(other).isEmpty();
    }

    /** The kernel's list syntax, as in /proc/PID/status Cpus_allowed_list: "0-3,8". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int cpu = first();
        while (cpu >= 0) {
            int end = cpu;
            while (contains(end + 1)) {
                end++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(cpu);
            if (end > cpu) {
                sb.append('-').append(end);
            }
            cpu = next(end + 1);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet && Arrays.equals(words, ((CpuSet) o).words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    private static long[] trim(long[] w) {
        int n = w.length;
        while (n > 0 && w[n - 1] == 0) {
            n--;
        }
        return n == w.length ? w : Arrays.copyOf(w, n);
    }

    /** Collects CPUs; rejects ids outside 0..MAX_CPU. */
    public static final class Builder {
        private long[] words = new long[2];

        public Builder add(int cpu) {
            check(cpu);
            int w = cpu >>> 6;
            if (w >= words.length) {
                words = Arrays.copyOf(words, Math.max(w + 1, words.length * 2));
            }
            words[w] |= 1L << cpu;
            return this;
        }

        public Builder addRange(int first, int last, int stride) {
            check(first);
            check(last);
            if (stride < 1) {
                throw new IllegalArgumentException("stride must be at least 1, not " + stride);
            }
            for (int cpu = first; cpu <= last; cpu += stride) {
                add(cpu);
            }
            return this;
        }

        public Builder addAll(CpuSet set) {
            if (set.words.length > words.length) {
                words = Arrays.copyOf(words, set.words.length);
            }
            for (int i = 0; i < set.words.length; i++) {
                words[i] |= set.words[i]; // a set only holds valid CPUs; a word at a time, not a CPU at a time
            }
            return this;
        }

        public Builder remove(int cpu) {
            int w = cpu >>> 6;
            if (cpu >= 0 && w < words.length) {
                words[w] &= ~(1L << cpu);
            }
            return this;
        }

        public CpuSet build() {
            long[] t = trim(words.clone());
            return t.length == 0 ? EMPTY : new CpuSet(t);
        }

        private static void check(int cpu) {
            if (cpu < 0 || cpu > MAX_CPU) {
                throw new IllegalArgumentException("CPU " + cpu + " is outside 0-" + MAX_CPU);
            }
        }
    }
}
