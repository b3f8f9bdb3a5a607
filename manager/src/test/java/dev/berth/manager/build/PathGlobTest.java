package dev.berth.manager.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathGlobTest {
    @TempDir
    Path root;

    /** Cases of Go's path/filepath match_test.go that concern one component. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "abc;abc;true", "*;abc;true", "*c;abc;true", "a*;a;true", "a*;abc;true",
        "a*b*c*d*e*;axbxcxdxe;true", "ab[c];abc;true", "ab[b-d];abc;true", "ab[e-g];abc;false",
        "ab[^c];abc;false", "ab[^b-d];abc;false", "ab[^e-g];abc;true", "a\\*b;a*b;true", "a\\*b;ab;false",
        "a?b;a☺b;true", "a[^a]b;a☺b;true", "a???b;a☺b;false", "[a-ζ]*;α;true", "*[a-ζ];A;false",
        "[\\]a];];true", "[\\-];-;true", "[x\\-];x;true", "[x\\-];z;false", "[];a;false", "[-];-;false",
        "[x-];x;false", "[a-b-c]a;a;false", "[;x;false", "a[;a;false", "*x;xxx;true", "\\;a;false"})
    void matches_asGosFilepathMatch(String pattern, String name, boolean expected) {
        assertEquals(expected, PathGlob.matches(pattern, name), pattern + " ~ " + name);
    }

    @Test
    void expand_walksInLexicalOrderWithoutFollowingSymlinks() throws IOException {
        Files.createDirectories(root.resolve("out/b"));
        Files.createDirectories(root.resolve("out/a"));
        Files.writeString(root.resolve("out/b/x.txt"), "b");
        Files.writeString(root.resolve("out/a/x.txt"), "a");
        Files.writeString(root.resolve("out/a/y.log"), "y");
        Files.createSymbolicLink(root.resolve("out/c"), root.resolve("out/a"));
        assertEquals(List.of("out/a/x.txt", "out/b/x.txt"), PathGlob.expand(root, List.of("out", "*", "*.txt")));
        assertEquals(List.of("out/a", "out/b", "out/c"), PathGlob.expand(root, List.of("out", "?")));
        assertEquals(List.of(), PathGlob.expand(root, List.of("out", "*", "*.none")));
    }

    @Test
    void hasWildcards_unescapedOnly() {
        assertTrue(PathGlob.hasWildcards("/out/*.txt"));
        assertTrue(PathGlob.hasWildcards("a[bc]"));
        assertFalse(PathGlob.hasWildcards("a\\*b"));
        assertFalse(PathGlob.hasWildcards("/plain/path"));
    }
}
