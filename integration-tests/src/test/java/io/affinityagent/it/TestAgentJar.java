package io.affinityagent.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** A Java agent of the tests' own (a class of the {@code it.agents} package), packed into a jar with its manifest. */
final class TestAgentJar {

    private TestAgentJar() {
    }

    /**
     * @param libraries jars the agent needs, put on its Class-Path
     */
    static Path build(Path dir, Class<?> premainClass, Path... libraries) {
        Path jar = dir.resolve(premainClass.getSimpleName() + ".jar");
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(new Attributes.Name("Premain-Class"), premainClass.getName());
        main.put(new Attributes.Name("Can-Retransform-Classes"), "true");
        if (libraries.length > 0) {
            StringBuilder cp = new StringBuilder();
            for (Path lib : libraries) {
                cp.append(cp.length() > 0 ? " " : "").append(lib.toAbsolutePath().toUri());
            }
            main.put(Attributes.Name.CLASS_PATH, cp.toString());
        }
        Path classes = Paths.get(TargetJvm.APPS_CLASSPATH);
        String folder = premainClass.getPackageName().replace('.', '/');
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> agentClasses = Files.list(classes.resolve(folder))) {
            for (Path c : (Iterable<Path>) agentClasses.sorted()::iterator) {
                out.putNextEntry(new JarEntry(folder + "/" + c.getFileName()));
                out.write(Files.readAllBytes(c));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    /** The jar a class of the tests' class path came from. */
    static Path jarOf(Class<?> c) {
        try {
            return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
