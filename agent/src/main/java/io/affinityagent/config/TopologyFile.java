package io.affinityagent.config;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A machine's CPU layout written down, given in a config as {@code topology = FILE}: it replaces
 * what sysfs says, so a plan can be made for a 2-socket server on a laptop, or a machine whose
 * sysfs lies (some VMs) can be described as it is. One line per CPU:
 * <pre>
 * # 2 sockets x 2 cores x 2 hardware threads
 * cpu=0 core=0 socket=0 node=0
 * cpu=4 core=0 socket=0 node=0      # the second hardware thread of core 0
 * </pre>
 * {@code cpu}, {@code core} and {@code socket} are required; a core is its socket and core
 * number together, so core numbers may restart on each socket. {@code node} (the NUMA node) is
 * given on every line or on none; when none has it, each socket is its own node. The output of
 * {@code lscpu -p=cpu,core,socket,node} is read as well (comma-separated, in that order).
 * {@code #} starts a comment. Problems are reported like config problems: file, line, key.
 */
public final class TopologyFile {

    static final String CPU = "cpu";
    static final String CORE = "core";
    static final String SOCKET = "socket";
    static final String NODE = "node";
    static final List<String> KEYS = List.of(CPU, CORE, SOCKET, NODE);
    private static final long MAX_BYTES = 4 << 20;

    private TopologyFile() {
    }

    /** Reads a topology file; null (and at least one error) when it is unusable. */
    public static CpuTopology read(Path file, List<ConfigProblem> problems) {
        String text;
        try {
            if (Files.isDirectory(file)) {
                problems.add(ConfigProblem.error(file, 0, null, "is a directory; expected a topology file"));
                return null;
            }
            if (Files.size(file) > MAX_BYTES) {
                problems.add(ConfigProblem.error(file, 0, null, "is larger than " + MAX_BYTES + " bytes; a topology file"
                        + " has one short line per CPU"));
                return null;
            }
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add(ConfigProblem.error(file, 0, null, "no such file"));
            return null;
        } catch (IOException | RuntimeException e) {
            problems.add(ConfigProblem.error(file, 0, null, "cannot be read: " + e));
            return null;
        }
        return parse(file, text, problems);
    }

    /** Parses already-read text; {@code file} only locates problems. */
    public static CpuTopology parse(Path file, String text, List<ConfigProblem> problems) {
        int errorsBefore = errors(problems);
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        // cpu -> {line, core, socket, node or -1}
        Map<Integer, int[]> cpus = new HashMap<>();
        int withNode = 0;
        int withoutNode = 0;
        int firstWithNode = 0;
        int firstWithoutNode = 0;
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            int[] values = line.indexOf('=') >= 0 ? keyValues(file, lineNo, line, problems)
                    : lscpuColumns(file, lineNo, line, problems);
            if (values == null) {
                continue;
            }
            int[] earlier = cpus.get(values[0]);
            if (earlier != null) {
                problems.add(ConfigProblem.error(file, lineNo, CPU, "CPU " + values[0] + " is given twice (first on line "
                        + earlier[0] + ")"));
                continue;
            }
            cpus.put(values[0], new int[] {lineNo, values[1], values[2], values[3]});
            if (values[3] >= 0) {
                withNode++;
                firstWithNode = firstWithNode == 0 ? lineNo : firstWithNode;
            } else {
                withoutNode++;
                firstWithoutNode = firstWithoutNode == 0 ? lineNo : firstWithoutNode;
            }
        }
        if (withNode > 0 && withoutNode > 0) {
            problems.add(ConfigProblem.error(file, firstWithoutNode, NODE, "is missing, but line " + firstWithNode
                    + " gives one; give node on every line or on none (then each socket is a node)"));
        }
        if (cpus.isEmpty() && errors(problems) == errorsBefore) {
            problems.add(ConfigProblem.error(file, 0, null, "describes no CPU; expected lines such as"
                    + " 'cpu=0 core=0 socket=0 node=0'"));
        }
        if (errors(problems) > errorsBefore) {
            return null;
        }
        CpuTopology.Builder b = CpuTopology.builder(file.toString());
        int[] ids = new int[cpus.size()];
        int n = 0;
        for (int cpu : cpus.keySet()) {
            ids[n++] = cpu;
        }
        java.util.Arrays.sort(ids); // a core spanning nodes is reported on its higher CPU's line
        for (int cpu : ids) {
            int[] v = cpus.get(cpu);
            try {
                b.add(cpu, v[2], v[1], v[3] >= 0 ? v[3] : v[2]);
            } catch (IllegalArgumentException e) {
                problems.add(ConfigProblem.error(file, v[0], NODE, "core " + v[1] + " of socket " + v[2] + ": "
                        + e.getMessage() + "; a core is on one node"));
            }
        }
        return errors(problems) > errorsBefore ? null : b.build();
    }

    /** {@code cpu=0 core=0 socket=0 [node=0]} as {cpu, core, socket, node or -1}, or null. */
    private static int[] keyValues(Path file, int lineNo, String line, List<ConfigProblem> problems) {
        int[] values = {-1, -1, -1, -1};
        boolean ok = true;
        for (String token : line.replace('\t', ' ').replace(',', ' ').split(" ")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            String key = eq < 0 ? token : token.substring(0, eq);
            int k = KEYS.indexOf(key);
            if (eq < 0) {
                problems.add(ConfigProblem.error(file, lineNo, null, "'" + token + "' is not KEY=NUMBER; expected"
                        + " 'cpu=0 core=0 socket=0 node=0'"));
                ok = false;
                continue;
            }
            if (k < 0) {
                problems.add(ConfigProblem.error(file, lineNo, key, "unknown key; expected cpu, core, socket or node"
                        + nearest(key)));
                ok = false;
                continue;
            }
            if (values[k] >= 0) {
                problems.add(ConfigProblem.error(file, lineNo, key, "is given twice on this line"));
                ok = false;
                continue;
            }
            int v = number(file, lineNo, key, token.substring(eq + 1), problems);
            if (v < 0) {
                ok = false;
            } else {
                values[k] = v;
            }
        }
        for (int k = 0; k < 3 && ok; k++) {
            if (values[k] < 0) {
                problems.add(ConfigProblem.error(file, lineNo, KEYS.get(k), "is missing; every line gives cpu, core and"
                        + " socket (node is optional)"));
                ok = false;
            }
        }
        return ok ? values : null;
    }

    /** A line of {@code lscpu -p=cpu,core,socket,node}: {@code 0,0,0,0}; node may be empty. */
    private static int[] lscpuColumns(Path file, int lineNo, String line, List<ConfigProblem> problems) {
        String[] columns = line.split(",", -1);
        if (columns.length < 3 || columns.length > 4) {
            problems.add(ConfigProblem.error(file, lineNo, null, "'" + line + "' is neither 'cpu=N core=C socket=S"
                    + " node=M' nor the CPU,CORE,SOCKET,NODE columns of lscpu -p"));
            return null;
        }
        int[] values = {-1, -1, -1, -1};
        for (int k = 0; k < columns.length; k++) {
            String c = columns[k].trim();
            if (k == 3 && c.isEmpty()) {
                continue; // lscpu leaves the node empty without NUMA
            }
            values[k] = number(file, lineNo, KEYS.get(k), c, problems);
            if (values[k] < 0) {
                return null;
            }
        }
        return values;
    }

    private static int number(Path file, int lineNo, String key, String text, List<ConfigProblem> problems) {
        boolean digits = !text.isEmpty() && text.length() <= 9;
        for (int i = 0; i < text.length() && digits; i++) {
            digits = text.charAt(i) >= '0' && text.charAt(i) <= '9';
        }
        int max = key.equals(CPU) ? CpuSet.MAX_CPU : 1_000_000;
        if (!digits || Integer.parseInt(text) > max) {
            problems.add(ConfigProblem.error(file, lineNo, key, "'" + text + "' is not a number from 0 to " + max));
            return -1;
        }
        return Integer.parseInt(text);
    }

    private static String nearest(String key) {
        for (String k : KEYS) {
            if (k.startsWith(key) || key.startsWith(k) || (key.length() > 2 && k.contains(key))) {
                return "; did you mean '" + k + "'?";
            }
        }
        if (key.equals("package") || key.equals("physical_package_id")) {
            return "; did you mean 'socket'?";
        }
        return "";
    }

    private static int errors(List<ConfigProblem> problems) {
        int n = 0;
        for (ConfigProblem p : problems) {
            if (p.isError()) {
                n++;
            }
        }
        return n;
    }
}
