package dev.berth.it.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The check itself, on small made-up maps and code: each kind of untruth is found, and a true map passes. */
class MapCheckTest {
    private static final String MAP = """
            Prose before the map is not read.

            <!-- package-map -->
            ### `lib` (dev.berth.lib)

            | package | what it is | may use |
            |---|---|---|
            | `lib.core` | the core | — |
            | `lib.io` | I/O: files, sockets | `lib.core` |

            ### `app` (dev.berth.app)

            | package | what it is | may use |
            |---|---|---|
            | `app.main` | the entry point | `app.cmd.*`, `lib.io` |
            | `app.cmd.*` | commands | `lib.core` |
            <!-- /package-map -->

            | `not.a.row` | after the end marker | `anything` |
            """;

    private static final Map<String, String> MODULES = Map.of("lib.core", "lib", "lib.io", "lib", "app.main", "app",
            "app.cmd", "app", "app.cmd.run", "app");

    private static CodeMap code(Map<String, String> moduleOf, Map<String, Set<String>> uses) {
        return new CodeMap(moduleOf, uses);
    }

    private static List<String> check(Map<String, String> moduleOf, Map<String, Set<String>> uses) {
        return new MapCheck(PackageMap.parse(MAP), code(moduleOf, uses)).problems();
    }

    private static Map<String, Set<String>> trueUses() {
        return Map.of("lib.core", Set.of(), "lib.io", Set.of("lib.core"),
                "app.main", Set.of("app.cmd", "app.cmd.run", "lib.io"),
                "app.cmd", Set.of("lib.core"), "app.cmd.run", Set.of("app.cmd", "lib.core"));
    }

    @Test
    void parse_readsModulesRowsAndFamilies() {
        PackageMap map = PackageMap.parse(MAP);

        assertEquals(4, map.rows().size(), map.rows().toString());
        PackageMap.Row main = map.rowFor("app.main").orElseThrow();
        assertEquals("app", main.module());
        assertEquals(List.of("app.cmd.*", "lib.io"), main.allowed());
        assertTrue(main.allows("app.cmd") && main.allows("app.cmd.run") && !main.allows("app.cmdx"));
        assertEquals("app.cmd.*", map.rowFor("app.cmd.run").orElseThrow().name());
        assertEquals(List.of(), map.rowFor("lib.core").orElseThrow().allowed());
        assertTrue(map.rowFor("not.a.row").isEmpty());
    }

    @Test
    void parse_refusesANameThatIsNone() {
        String bad = MAP.replace("`lib.core` |\n", "`lib.core` (mostly) |\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PackageMap.parse(bad));
        assertTrue(e.getMessage().contains("architecture.md:9"), e.getMessage());
    }

    @Test
    void parse_refusesAMapWithoutItsEnd() {
        assertThrows(IllegalArgumentException.class, () -> PackageMap.parse(MAP.replace(PackageMap.END, "")));
    }

    @Test
    void check_trueMap_findsNothing() {
        assertEquals(List.of(), check(MODULES, trueUses()));
    }

    @Test
    void check_useTheRowDoesNotName_isReportedWithATrueCell() {
        var uses = new HashMap<>(trueUses());
        uses.put("lib.core", Set.of("app.main"));

        List<String> problems = check(MODULES, uses);

        assertTrue(problems.contains("`lib.core` uses `app.main`, which its row `lib.core` "
                + "(docs/architecture.md:8) does not name"), problems.toString());
        assertTrue(problems.contains("a true last cell for row `lib.core` (docs/architecture.md:8): `app.main`"),
                problems.toString());
    }

    @Test
    void check_packageWithoutRow_isReported() {
        var modules = new HashMap<>(MODULES);
        modules.put("lib.net", "lib");
        var uses = new HashMap<>(trueUses());
        uses.put("lib.net", Set.of("lib.io"));

        assertEquals(List.of("no row for `lib.net` (module lib); a true one: | `lib.net` | … | `lib.io` |"),
                check(modules, uses));
    }

    @Test
    void check_nameNothingUses_isReported() {
        var uses = new HashMap<>(trueUses());
        uses.put("lib.io", Set.of());

        List<String> problems = check(MODULES, uses);

        assertTrue(problems.contains("row `lib.io` (docs/architecture.md:9) names `lib.core`, which lib.io does "
                + "not use"), problems.toString());
    }

    @Test
    void check_rowForAPackageThatIsGone_isReported() {
        var modules = new HashMap<>(MODULES);
        modules.remove("lib.io");
        var uses = new HashMap<>(trueUses());
        uses.remove("lib.io");
        uses.put("app.main", Set.of("app.cmd"));

        List<String> problems = check(modules, uses);

        assertTrue(problems.contains("row `lib.io` (docs/architecture.md:9): no such package in the code (or "
                + "another row speaks for it)"), problems.toString());
    }

    @Test
    void check_rowUnderAnotherModule_isReported() {
        var modules = new HashMap<>(MODULES);
        modules.put("lib.io", "app");

        List<String> problems = check(modules, trueUses());

        assertTrue(problems.contains("`lib.io` is in module app, but its row `lib.io` (docs/architecture.md:9) is "
                + "under module lib"), problems.toString());
    }

    @Test
    void check_moduleCycle_isReported() {
        var map = """
                <!-- package-map -->
                ### `a`
                | `a.x` | | `b.y` |
                ### `b`
                | `b.y` | | `a.x` |
                <!-- /package-map -->
                """;
        var code = code(Map.of("a.x", "a", "b.y", "b"), Map.of("a.x", Set.of("b.y"), "b.y", Set.of("a.x")));

        assertEquals(List.of("modules depend on each other in a cycle: a → b (a.x uses b.y); b → a (b.y uses a.x)"),
                new MapCheck(PackageMap.parse(map), code).problems());
    }

    @Test
    void javaUses_readsImportsAndQualifiedNames_notCommentsOrStrings() {
        String source = """
                package dev.berth.app.main;

                import dev.berth.lib.io.Files;
                import static dev.berth.lib.core.Kind.NOT_FOUND;
                import dev.berth.app.cmd.*;
                /** See {@link dev.berth.doc.only.Thing}. */
                class Main { // dev.berth.comment.Only
                    Object o = new dev.berth.lib.net.Socket();
                    String s = "dev.berth.string.Only";
                    char c = '"';
                    String t = \"""
                        dev.berth.text.Block
                        \""";
                    Object p = dev.berth.app.cmd.run.Run.of(c);
                }
                """;

        String code = CodeMap.withoutCommentsAndStrings(source);

        assertEquals(Set.of("lib.io", "lib.core", "app.cmd", "lib.net", "app.cmd.run"), CodeMap.javaUses(code));
        assertEquals("dev.berth.app.main", CodeMap.javaPackage(code).orElseThrow());
    }

    @Test
    void protoImports_readsEachImport() {
        assertEquals(List.of("types/mount.proto", "google/protobuf/any.proto"), CodeMap.protoImports("""
                syntax = "proto3";
                import "types/mount.proto";
                import public "google/protobuf/any.proto";
                option java_package = "dev.berth.api.events";
                """));
    }
}
