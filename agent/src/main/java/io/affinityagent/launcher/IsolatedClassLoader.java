package io.affinityagent.launcher;

import java.io.ByteArrayInputStream;
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
 * Defines the agent's runtime (its own classes, ASM, picocli and the native helper) from the
 * agent jar: class files from its {@link ClassPack} ({@code inst/classes.pack}), other resources
 * from its {@code inst/} entries. Class-path scanners in the application see no class of ours.
 *
 * <p>Isolation both ways: a class is looked up among the runtime's own classes first, then in
 * the JDK's modules, and never on the application's class path. So the application never sees
 * our libraries and we never see its copies, whatever their versions.
 */
final class IsolatedClassLoader extends ClassLoader {

    static final String ENTRY_PREFIX = "inst/";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final ClassPack classes;
    private final String jarUrl;
    private final ProtectionDomain domain;
    /** Packages of JDK modules defined to the application loader (jdk.attach...), made on first need. */
    private volatile Map<String, ClassLoader> appLoaderJdkPackages;

    private IsolatedClassLoader(JarFile jar, ClassPack classes, Path jarPath) throws MalformedURLException {
        super("affinity-agent", ClassLoader.getPlatformClassLoader());
        this.jar = jar;
        this.classes = classes;
        this.jarUrl = "jar:" + jarPath.toUri() + "!/";
        this.domain = new ProtectionDomain(new CodeSource(jarPath.toUri().toURL(), (Certificate[]) null), null, this, null);
    }

    /**
     * A loader for the runtime inside the jar {@code anchor} was loaded from, which must hold
     * the class {@code required} (the entry point about to be called). Declared as a ClassLoader
     * so that verifying the launcher does not load this class.
     */
    static ClassLoader forJarOf(Class<?> anchor, String required) throws IOException, URISyntaxException {
        Path jarPath = jarOf(anchor);
        JarFile jar = new JarFile(jarPath.toFile(), false);
        ClassPack classes = null;
        try {
            classes = ClassPack.in(jar);
            if (classes == null || !classes.contains(classPath(required))) {
                throw new IOException(jarPath + " has no " + required + " in " + ClassPack.ENTRY
                        + ": it is not a packaged affinity-agent jar");
            }
            return new IsolatedClassLoader(jar, classes, jarPath);
        } catch (IOException | RuntimeException e) {
            if (classes != null) {
                classes.close();
            }
            jar.close();
            throw e;
        }
    }

    /** The jar {@code anchor} was loaded from. */
    static Path jarOf(Class<?> anchor) throws IOException, URISyntaxException {
        CodeSource source = anchor.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IOException("cannot tell which jar the agent was loaded from");
        }
        return Paths.get(source.getLocation().toURI());
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

    /** One of the runtime's own classes, defined from the pack; null when the pack has no such class. */
    private Class<?> findOwnClass(String name) throws ClassNotFoundException {
        try {
            byte[] bytes = classes.read(classPath(name));
            return bytes == null ? null : defineClass(name, bytes, 0, bytes.length, domain);
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": " + e, e);
        }
    }

    /** A resource's URL; none for a class file, which has no entry of its own in the jar. */
    @Override
    protected URL findResource(String name) {
        String entry = entryName(name);
        if (entry == null || jar.getJarEntry(entry) == null) {
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
        // Straight from the open jar (or the pack, for a class file), without a jar: URL connection.
        try {
            String r = name.startsWith("/") ? name.substring(1) : name;
            if (r.endsWith(".class")) {
                byte[] bytes = classes.read(r.substring(0, r.length() - ".class".length()));
                return bytes != null ? new ByteArrayInputStream(bytes) : super.getResourceAsStream(name);
            }
            JarEntry je = jar.getJarEntry(ENTRY_PREFIX + r);
            return je != null ? jar.getInputStream(je) : super.getResourceAsStream(name);
        } catch (IOException e) {
            return null;
        }
    }

    /** A resource other than a class file is the jar entry "inst/" + its name; a class file has none. */
    private static String entryName(String resource) {
        String r = resource.startsWith("/") ? resource.substring(1) : resource;
        return r.endsWith(".class") ? null : ENTRY_PREFIX + r;
    }

    /** "a.b.C" is "a/b/C" in the pack. */
    private static String classPath(String className) {
        return className.replace('.', '/');
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }
}
