package dev.berth.it.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the code says: each package of the modules' main code ({@code <module>/src/main/java}, and the Java packages
 * that {@code <module>/src/main/proto} generates), the module it is in, and the Berth packages it uses. Names are
 * relative to {@code dev.berth} ({@code manager.task} is {@code dev.berth.manager.task}), as in the map.
 *
 * <p>A Java file uses a package when its code (comments and string literals left out) names a type of it: an
 * import, a static import, a wildcard import or a fully qualified name. A proto file uses the Java package of each
 * file it imports from the same tree.
 *
 * @param moduleOf package → its module (the module's directory name)
 * @param uses package → the other Berth packages it uses
 */
record CodeMap(Map<String, String> moduleOf, Map<String, Set<String>> uses) {
    static final String BASE = "dev.berth";

    /** A Berth package followed by a type name (capitalised) or a wildcard import. */
    private static final Pattern REFERENCE =
            Pattern.compile("\\bdev\\.berth((?:\\.[a-z_][a-z0-9_]*)+)(?=\\s*\\.\\s*[A-Z*])");
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern JAVA_PACKAGE =
            Pattern.compile("^\\s*option\\s+java_package\\s*=\\s*\"([\\w.]+)\"\\s*;", Pattern.MULTILINE);
    private static final Pattern PROTO_IMPORT =
            Pattern.compile("^\\s*import\\s+(?:public\\s+|weak\\s+)?\"([^\"]+)\"\\s*;", Pattern.MULTILINE);

    /** Reads every module directly under {@code repo} that has main Java or proto sources. */
    static CodeMap scan(Path repo) throws IOException {
        Map<String, String> moduleOf = new TreeMap<>();
        Map<String, Set<String>> uses = new TreeMap<>();
        List<Path> modules;
        try (Stream<Path> dirs = Files.list(repo)) {
            modules = dirs.filter(d -> Files.isDirectory(d.resolve("src/main/java"))
                    || Files.isDirectory(d.resolve("src/main/proto"))).sorted().toList();
        }
        for (Path module : modules) {
            String name = module.getFileName().toString();
            for (Path file : files(module.resolve("src/main/java"), ".java")) {
                String code = withoutCommentsAndStrings(Files.readString(file));
                String pkg = javaPackage(code).orElseThrow(() -> new IllegalStateException(
                        "read " + file + ": no package declaration"));
                add(moduleOf, uses, name, relative(pkg), javaUses(code));
            }
            Path protoRoot = module.resolve("src/main/proto");
            Map<String, String> packageOfProto = new HashMap<>();
            List<Path> protos = files(protoRoot, ".proto");
            for (Path file : protos) {
                packageOfProto.put(protoRoot.relativize(file).toString(), protoJavaPackage(file));
            }
            for (Path file : protos) {
                Set<String> used = new TreeSet<>();
                for (String imported : protoImports(Files.readString(file))) {
                    String target = packageOfProto.get(imported);
                    if (target != null && target.startsWith(BASE + ".")) {
                        used.add(relative(target));
                    }
                }
                String pkg = packageOfProto.get(protoRoot.relativize(file).toString());
                if (pkg.startsWith(BASE + ".")) {
                    add(moduleOf, uses, name, relative(pkg), used);
                }
            }
        }
        return new CodeMap(moduleOf, uses);
    }

    private static void add(Map<String, String> moduleOf, Map<String, Set<String>> uses, String module, String pkg,
                            Set<String> used) {
        String earlier = moduleOf.putIfAbsent(pkg, module);
        if (earlier != null && !earlier.equals(module)) {
            throw new IllegalStateException("package " + pkg + " is in two modules: " + earlier + " and " + module);
        }
        Set<String> all = uses.computeIfAbsent(pkg, p -> new TreeSet<>());
        used.stream().filter(u -> !u.equals(pkg)).forEach(all::add);
    }

    /** The module of {@code pkg}, if it is a package of the scanned code. */
    Optional<String> module(String pkg) {
        return Optional.ofNullable(moduleOf.get(pkg));
    }

    Set<String> uses(String pkg) {
        return uses.getOrDefault(pkg, Set.of());
    }

    /** The Berth packages that {@code code} (comments and strings already removed) names, relative to the base. */
    static Set<String> javaUses(String code) {
        Set<String> used = new TreeSet<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            used.add(m.group(1).substring(1));
        }
        return used;
    }

    static Optional<String> javaPackage(String code) {
        Matcher m = PACKAGE.matcher(code);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static List<String> protoImports(String proto) {
        List<String> imports = new ArrayList<>();
        Matcher m = PROTO_IMPORT.matcher(proto);
        while (m.find()) {
            imports.add(m.group(1));
        }
        return imports;
    }

    private static String protoJavaPackage(Path file) throws IOException {
        Matcher m = JAVA_PACKAGE.matcher(Files.readString(file));
        if (!m.find()) {
            throw new IllegalStateException("read " + file + ": no option java_package");
        }
        return m.group(1);
    }

    /** {@code dev.berth.manager.task} → {@code manager.task}; other names stay whole. */
    static String relative(String pkg) {
        return pkg.startsWith(BASE + ".") ? pkg.substring(BASE.length() + 1) : pkg;
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList();
        }
    }

    /**
     * Java source with its comments removed and each string, text block and character literal emptied, so that
     * only code is searched for package names (a Javadoc link or a logger's name is no dependency).
     */
    static String withoutCommentsAndStrings(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                i = skipQuoted(source, i + 3, "\"\"\"");
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i = skipQuoted(source, i + 1, String.valueOf(c));
                out.append("\"\"");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The index after the closing {@code quote} of a literal whose content starts at {@code from}. */
    private static int skipQuoted(String source, int from, String quote) {
        int i = from;
        while (i < source.length()) {
            if (source.charAt(i) == '\\') {
                i += 2;
            } else if (source.startsWith(quote, i)) {
                return i + quote.length();
            } else {
                i++;
            }
        }
        return source.length();
    }
}
