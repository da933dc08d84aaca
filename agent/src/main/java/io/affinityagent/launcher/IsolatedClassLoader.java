package io.affinityagent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the agent's runtime (its own classes, ASM, picocli and the native helper) from the agent jar's {@code inst/} entries. Class files there are stored as
 * {@code .classdata}, so class-path scanners in the application never pick them up.
 *
 * <p>Isolation both ways: a class is looked up among the runtime's own classes first, then in
 * the JDK's modules, and never on the application's class path. So the application never sees
 * our libraries and we never see its copies, whatever their versions.
 *
 * <p>Looked up class by class in the jar's index (a hash look-up) rather than by a package list
 * made by walking the jar's 400-odd entries: that walk cost the JVM's start-up a few ms.
 */
final class IsolatedClassLoader extends ClassLoader {

    static final String ENTRY_PREFIX = "inst/";
    static final String CLASS_SUFFIX = ".classdata";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;
    /** Packages of JDK modules defined to the application loader (jdk.attach...), made on first need. */
    private volatile Map<String, ClassLoader> appLoaderJdkPackages;

    private IsolatedClassLoader(JarFile jar, Path jarPath) throws MalformedURLException {
        super("affinity-agent", ClassLoader.getPlatformClassLoader());
        this.jar = jar;
        this.jarUrl = "jar:" + jarPath.toUri() + "!/";
        this.domain = new ProtectionDomain(new CodeSource(jarPath.toUri().toURL(), (Certificate[]) null), null, this, null);
    }

    /**
     * A loader for the runtime inside the jar {@code anchor} was loaded from, which must hold
     * the class {@code required} (the entry point about to be called). Declared as a ClassLoader
     * so that verifying the launcher does not load this class.
     */
    static ClassLoader forJarOf(Class<?> anchor, String required) throws IOException, URISyntaxException {
        CodeSource source = anchor.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IOException("cannot tell which jar the agent was loaded from");
        }
        Path jarPath = Paths.get(source.getLocation().toURI());
        JarFile jar = new JarFile(jarPath.toFile(), false);
        if (jar.getJarEntry(classEntry(required)) == null) {
            jar.close();
            throw new IOException(jarPath + " has no " + classEntry(required) + ": it is not a packaged affinity-agent jar");
        }
        return new IsolatedClassLoader(jar, jarPath);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = name.startsWith("java.") ? null : findOwnClass(name);
                if (c == null) {
                    c = loadJdkClass(name, packageOf(name));
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /** A JDK class: the platform loader has most; a few tool modules belong to the app loader. */
    private Class<?> loadJdkClass(String name, String pkg) throws ClassNotFoundException {
        try {
            return getParent().loadClass(name);
        } catch (ClassNotFoundException notPlatform) {
            ClassLoader loader = appLoaderJdkPackages().get(pkg);
            if (loader == null) {
                throw new ClassNotFoundException(name + " (the agent's runtime sees only its own classes and the JDK's)");
            }
            return Class.forName(name, false, loader);
        }
    }

    private Map<String, ClassLoader> appLoaderJdkPackages() {
        Map<String, ClassLoader> map = appLoaderJdkPackages;
        if (map == null) {
            map = new HashMap<>();
            for (Module m : ModuleLayer.boot().modules()) {
                ClassLoader l = m.getClassLoader();
                if (l != null && l != getParent()) {
                    for (String p : m.getPackages()) {
                        map.put(p, l);
                    }
                }
            }
            appLoaderJdkPackages = map;
        }
        return map;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> c = findOwnClass(name);
        if (c == null) {
            throw new ClassNotFoundException(name);
        }
        return c;
    }

    /** One of the runtime's own classes, defined from the jar; null when the jar has no such class. */
    private Class<?> findOwnClass(String name) throws ClassNotFoundException {
        JarEntry je = jar.getJarEntry(classEntry(name));
        if (je == null) {
            return null;
        }
        try (InputStream in = jar.getInputStream(je)) {
            byte[] bytes = readEntry(in, je.getSize());
            return defineClass(name, bytes, 0, bytes.length, domain);
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": " + e, e);
        }
    }

    /**
     * The entry's bytes in one array of its recorded size: readAllBytes grows and copies 8 KiB
     * buffers, which at start-up (interpreted, hundreds of classes) costs more than the inflating.
     */
    private static byte[] readEntry(InputStream in, long size) throws IOException {
        if (size < 0 || size > Integer.MAX_VALUE) {
            return in.readAllBytes();
        }
        byte[] bytes = new byte[(int) size];
        int n = in.readNBytes(bytes, 0, bytes.length);
        if (n != bytes.length) {
            throw new IOException("jar entry shorter than its recorded size (" + n + " of " + size + " bytes)");
        }
        return bytes;
    }

    @Override
    protected URL findResource(String name) {
        String entry = entryName(name);
        if (jar.getJarEntry(entry) == null) {
            return null;
        }
        try {
            return new URL(jarUrl + entry);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(url));
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        // Straight from the open jar, without a jar: URL connection.
        JarEntry je = jar.getJarEntry(entryName(name));
        if (je == null) {
            return super.getResourceAsStream(name);
        }
        try {
            return jar.getInputStream(je);
        } catch (IOException e) {
            return null;
        }
    }

    /** "a/B.class" is stored as "inst/a/B.classdata"; other resources keep their names. */
    private static String entryName(String resource) {
        String r = resource.startsWith("/") ? resource.substring(1) : resource;
        if (r.endsWith(".class")) {
            r = r.substring(0, r.length() - ".class".length()) + CLASS_SUFFIX;
        }
        return ENTRY_PREFIX + r;
    }

    private static String classEntry(String className) {
        return ENTRY_PREFIX + className.replace('.', '/') + CLASS_SUFFIX;
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }
}
