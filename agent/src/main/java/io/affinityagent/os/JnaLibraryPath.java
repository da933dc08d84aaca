package io.affinityagent.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps JNA from starting a process in the application. On Linux, JNA's NativeLibrary runs
 * {@code /sbin/ldconfig -p} when it is first initialised, to find where the system keeps its
 * libraries, unless the system property {@value #PROPERTY} already names them (it then sets that
 * property itself, for the whole JVM). So before the fallback first touches JNA, this sets the
 * property, when nobody has, to what ldconfig would mostly have said: the directories of
 * /etc/ld.so.conf.d, the multiarch directories for this CPU, and the usual ones. The application's
 * own JNA, if any, would have set the same property for the whole JVM in the same way.
 */
final class JnaLibraryPath {

    static final String PROPERTY = "jna.platform.library.path";

    private JnaLibraryPath() {
    }

    /** Sets {@value #PROPERTY} unless it is set; returns the value it has now. */
    static String setIfUnset(String arch) {
        String given = System.getProperty(PROPERTY);
        if (given != null) {
            return given;
        }
        String path = String.join(java.io.File.pathSeparator, directories(Paths.get("/etc/ld.so.conf.d"), arch));
        System.setProperty(PROPERTY, path);
        return path;
    }

    static Set<String> directories(Path confDir, String arch) {
        Set<String> dirs = new LinkedHashSet<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(confDir, "*.conf")) {
            List<Path> confs = new ArrayList<>();
            for (Path conf : found) {
                confs.add(conf);
            }
            Collections.sort(confs); // in ldconfig's order, as its include glob sorts them
            for (Path conf : confs) {
                for (String line : new String(Files.readAllBytes(conf), StandardCharsets.UTF_8).split("\n")) {
                    String dir = line.trim();
                    if (dir.startsWith("/")) {
                        dirs.add(dir);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no ld.so.conf.d: the directories below are what is left
        }
        String triplet = multiarch(arch);
        if (triplet != null) {
            dirs.add("/usr/lib/" + triplet);
            dirs.add("/lib/" + triplet);
        }
        dirs.add("/usr/lib64");
        dirs.add("/lib64");
        dirs.add("/usr/lib");
        dirs.add("/lib");
        return dirs;
    }

    /** Debian's multiarch name for a CPU as Java names it (os.arch), or null. */
    static String multiarch(String arch) {
        switch (arch) {
            case "amd64":
                return "x86_64-linux-gnu";
            case "aarch64":
                return "aarch64-linux-gnu";
            case "ppc64le":
                return "powerpc64le-linux-gnu";
            case "s390x":
                return "s390x-linux-gnu";
            case "riscv64":
                return "riscv64-linux-gnu";
            case "loongarch64":
                return "loongarch64-linux-gnu";
            case "arm":
                return "arm-linux-gnueabihf";
            case "x86":
            case "i386":
                return "i386-linux-gnu";
            default:
                return null;
        }
    }
}
