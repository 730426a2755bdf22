import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Rewrites the class files of the dependency jars that predate Java 6's format (major version
 * below 50) into Java 8's (52), with the stack maps that format requires. Run by
 * deploy/lib/start-cache.sh with the JDK 25+ that makes the AOT caches, before training:
 * {@code java deploy/lib/UpgradeOldClasses.java <directory of jars>} (it uses the JDK's class-file
 * API, JDK 24+, and the jar rewriting of UnsignJars.java beside it).
 *
 * <p>Why: the JDK's AOT cache leaves such classes out ("Old class has been linked"). picocli is
 * compiled for Java 5, so its ~170 classes were read from the jar and checked by the old
 * type-inferring verifier at every start, outside the cache: 0.1-0.25 s of every command and of
 * {@code serve} (issue 10, bench/RESULTS.md).
 *
 * <p>What: the same bytecode, constant pool and attributes, with the new version and a computed
 * StackMapTable per method; the JVM verifies the result as it loads it, like any class. Jars
 * without an old class are left untouched, so a second run changes nothing; each changed jar is
 * replaced atomically. Exit 1 with the reason when a class cannot be rewritten (for instance
 * JSR/RET, which the new format forbids), leaving that jar as it was.
 */
public final class UpgradeOldClasses {

    /** Java 6 is the first format with stack maps; older ones are what the AOT cache skips. */
    private static final int FIRST_WITH_STACK_MAPS = 50;
    private static final int TARGET = 52;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java UpgradeOldClasses.java <directory of jars>");
            System.exit(2);
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(Path.of(args[0]), "[!.]*.jar")) {
            listing.forEach(jars::add);
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jars.get(i).toUri().toURL();
        }
        int classes = 0;
        try (URLClassLoader all = new URLClassLoader(urls, null)) {
            // Merging frames needs the supertypes of the jars' own classes, not only the JDK's.
            ClassFile files = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(all))));
            for (Path jar : jars) {
                int old = countOld(files, jar);
                if (old == 0) {
                    continue;
                }
                Manifest manifest;
                try (JarFile in = new JarFile(jar.toFile(), false)) {
                    manifest = in.getManifest() == null ? new Manifest() : in.getManifest();
                }
                UnsignJars.rewrite(jar, manifest, (name, data) -> isClass(name) ? upgraded(files, name, data) : data);
                System.out.println("upgraded " + old + " class file(s) of " + jar.getFileName() + " to version " + TARGET);
                classes += old;
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("UpgradeOldClasses: " + e);
            System.exit(1);
        }
        System.out.println(classes + " class file(s) upgraded in " + args[0]);
    }

    private static int countOld(ClassFile files, Path jar) throws IOException {
        int old = 0;
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            for (JarEntry e : (Iterable<JarEntry>) in.stream()::iterator) {
                if (isClass(e.getName())) {
                    try (var data = in.getInputStream(e)) {
                        if (files.parse(data.readAllBytes()).majorVersion() < FIRST_WITH_STACK_MAPS) {
                            old++;
                        }
                    }
                }
            }
        }
        return old;
    }

    /** Plain class files; multi-release ones under META-INF/versions are Java 9+ already. */
    private static boolean isClass(String name) {
        return name.endsWith(".class") && !name.startsWith("META-INF/");
    }

    private static byte[] upgraded(ClassFile files, String name, byte[] data) {
        ClassModel model = files.parse(data);
        if (model.majorVersion() >= FIRST_WITH_STACK_MAPS) {
            return data;
        }
        try {
            return files.transformClass(model, (builder, element) -> {
                if (element instanceof ClassFileVersion) {
                    builder.withVersion(TARGET, 0);
                } else if (element instanceof MethodModel method && method.code().isPresent()) {
                    // Re-emitting the code is what makes the builder compute its stack maps.
                    builder.transformMethod(method, MethodTransform.transformingCode(CodeTransform.ACCEPT_ALL));
                } else {
                    builder.with(element);
                }
            });
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot upgrade " + name + ": " + e.getMessage(), e);
        }
    }
}
