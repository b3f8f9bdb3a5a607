import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A build step of the CLI (cli/pom.xml, run from source at package time, before the AOT training): rewrites the
 * Java 5 class files of a jar (picocli's) as Java 8 class files, with the stack maps the JDK's class-file API
 * computes, and nothing else changed. The AOT cache holds no class file older than Java 6 (version 50), so picocli's
 * classes were loaded, parsed and verified by the old verifier from the jar at every start of a verb: about 170
 * classes and most of what a verb spent before its first call. Idempotent: a jar without old classes is left as it is.
 *
 * <p>Usage: {@code java RetargetOldClasses.java JAR}
 */
public final class RetargetOldClasses {
    private static final int JAVA_6 = 50;
    private static final int JAVA_8 = 52;

    private RetargetOldClasses() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path rewritten = jar.resolveSibling(jar.getFileName() + ".tmp");
        int count = 0;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
             ZipFile in = new ZipFile(jar.toFile());
             OutputStream file = Files.newOutputStream(rewritten);
             ZipOutputStream out = new ZipOutputStream(file)) {
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.ofClassLoading(loader)));
            // re-emitting every method body is what makes the class-file API compute its stack map frames
            ClassTransform retarget = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                    .andThen(ClassTransform.endHandler(b -> b.withVersion(JAVA_8, 0)));
            for (ZipEntry entry : Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")) {
                    ClassModel model = classFile.parse(bytes);
                    if (model.majorVersion() < JAVA_6) {
                        bytes = classFile.transformClass(model, retarget);
                        count++;
                    }
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        if (count == 0) {
            Files.delete(rewritten);
        } else {
            Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING);
        }

    }
}
