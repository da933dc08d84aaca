package io.affinityagent.jdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The thread headers of a HotSpot thread dump ({@code jcmd PID Thread.print}): the one place
 * where the JVM gives a thread's Java id, its full name and its native id (Linux tid) together.
 * <pre>
 * JDK 17:  "pool-1-thread-1" #12 prio=5 os_prio=0 cpu=1.66ms elapsed=0.03s tid=0x00007f5c34145b20 nid=0x393a waiting ...
 * JDK 18+: "pool-1-thread-1" #21 [14693] prio=5 os_prio=0 cpu=2.36ms elapsed=0.16s tid=0x00007f6e7c104710 nid=14693 waiting ...
 * JVM's own threads have no Java id:  "VM Thread" os_prio=0 cpu=0.40ms elapsed=0.26s tid=0x00007f6e7c0a7f20 nid=14682 runnable
 * </pre>
 * A name is printed as is, quotes and line breaks included, so a header is found from its end:
 * the {@code tid=0x... nid=...} pair, then the last {@code " #} before it.
 */
public final class ThreadDump {

    /** One thread of the dump. */
    public static final class Entry {
        private final String name;
        private final long javaId;
        private final int nativeId;

        Entry(String name, long javaId, int nativeId) {
            this.name = name;
            this.javaId = javaId;
            this.nativeId = nativeId;
        }

        /** The full Java thread name. */
        public String name() {
            return name;
        }

        /** Thread.threadId(), or -1 for the JVM's own threads (GC, compiler, VM thread). */
        public long javaId() {
            return javaId;
        }

        /** The Linux tid. */
        public int nativeId() {
            return nativeId;
        }

        @Override
        public String toString() {
            return "\"" + name + "\" #" + javaId + " nid=" + nativeId;
        }
    }

    private final List<Entry> entries;
    private final Map<Long, Entry> byJavaId = new HashMap<>();
    private final Map<Integer, Entry> byNativeId = new HashMap<>();

    private ThreadDump(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
        for (Entry e : entries) {
            if (e.javaId >= 0) {
                byJavaId.put(e.javaId, e);
            }
            byNativeId.put(e.nativeId, e);
        }
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The thread with this Java id, or null. */
    public Entry byJavaId(long javaId) {
        return byJavaId.get(javaId);
    }

    /** The thread with this native id, or null. */
    public Entry byNativeId(int nativeId) {
        return byNativeId.get(nativeId);
    }

    /** Reads every thread header of a dump; lines that are not headers are skipped. */
    public static ThreadDump parse(String text) {
        List<Entry> out = new ArrayList<>();
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        int blockStart = 0; // a header starts after a blank line or after the previous header
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                blockStart = i + 1;
                continue;
            }
            int nid = headerNidPosition(line);
            if (nid < 0) {
                continue;
            }
            // The header's first line is the nearest one above that opens the quoted name.
            int start = i;
            while (start > blockStart && !lines[start].startsWith("\"")) {
                start--;
            }
            if (!lines[start].startsWith("\"")) {
                continue;
            }
            StringBuilder header = new StringBuilder(lines[start]);
            for (int k = start + 1; k <= i; k++) {
                header.append('\n').append(lines[k]);
            }
            Entry e = parseHeader(header.toString());
            if (e != null) {
                out.add(e);
            }
            blockStart = i + 1;
        }
        return new ThreadDump(out);
    }

    /** Where " nid=" starts on a header's last line (after " tid=0x"), or -1. */
    private static int headerNidPosition(String line) {
        int from = line.length();
        while (true) {
            int nid = line.lastIndexOf(" nid=", from);
            if (nid < 0) {
                return -1;
            }
            if (line.lastIndexOf(" tid=0x", nid) >= 0) {
                return nid;
            }
            from = nid - 1;
        }
    }

    private static Entry parseHeader(String header) {
        int tid = header.lastIndexOf(" tid=0x");
        int nidAt = header.indexOf(" nid=", tid);
        if (tid < 0 || nidAt < 0) {
            return null;
        }
        int nativeId = parseNativeId(header, nidAt + " nid=".length());
        if (nativeId <= 0) {
            return null;
        }
        int hash = header.lastIndexOf("\" #", tid);
        if (hash > 0) {
            long javaId = parseDigits(header, hash + 3);
            if (javaId >= 0) {
                return new Entry(header.substring(1, hash), javaId, nativeId);
            }
        }
        // A JVM thread: "VM Thread" os_prio=0 ... (no Java id)
        int close = header.lastIndexOf("\" ", tid);
        if (close <= 0) {
            return null;
        }
        return new Entry(header.substring(1, close), -1, nativeId);
    }

    /** nid=0x1a2b (JDK 17) or nid=6699 (JDK 18+). */
    static int parseNativeId(String s, int from) {
        int end = from;
        while (end < s.length() && s.charAt(end) != ' ') {
            end++;
        }
        String v = s.substring(from, end);
        try {
            long id = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
            return id > 0 && id <= Integer.MAX_VALUE ? (int) id : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long parseDigits(String s, int from) {
        int end = from;
        while (end < s.length() && s.charAt(end) >= '0' && s.charAt(end) <= '9') {
            end++;
        }
        if (end == from || end < s.length() && s.charAt(end) != ' ') {
            return -1;
        }
        try {
            return Long.parseLong(s.substring(from, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
