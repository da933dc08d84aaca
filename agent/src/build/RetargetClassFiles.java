import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step (agent/pom.xml, package phase): rewrites the class files under a folder that are
 * older than Java 8's format as Java 8 class files with stack map frames.
 *
 * <p>Why: ASM ships Java 5 class files. HotSpot verifies those with its old type-inferring
 * verifier, several times slower than the one that checks a Java 6+ class file's frames, and
 * the agent's start loads about thirty ASM classes (benchmarks/RESULTS.md measures it). The
 * bytecode is unchanged; only the version and the computed frames are new, and the JVM still
 * verifies every one of them when the agent loads it.
 *
 * <p>Run with the folder on the class path (frames need the classes' common super classes):
 * {@code java -cp DIR RetargetClassFiles.java DIR/org/objectweb/asm}
 */
public final class RetargetClassFiles {

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> p.toString().endsWith(".class")).forEach(files::add);
        }
        int rewritten = 0;
        for (Path file : files) {
            ClassReader reader = new ClassReader(Files.readAllBytes(file));
            if (reader.readUnsignedShort(6) >= Opcodes.V1_8) {
                continue; // done already (an incremental build), or new enough
            }
            ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public void visit(int version, int access, String name, String signature, String superName,
                                  String[] interfaces) {
                    super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
                }
            }, ClassReader.SKIP_FRAMES);
            Files.write(file, writer.toByteArray());
            rewritten++;
        }
        if (files.isEmpty()) {
            throw new IOException("no class files under " + root);
        }
        System.out.println("[retarget] " + rewritten + " of " + files.size() + " class files under " + root
                + " rewritten as Java 8 class files with stack map frames");
    }
}
