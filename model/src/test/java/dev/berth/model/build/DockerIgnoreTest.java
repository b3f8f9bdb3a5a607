package dev.berth.model.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DockerIgnoreTest {
    /** pattern lines (| separates lines), path, excluded — cases from docker's documentation and its matcher. */
    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = ';', value = {
        "*/temp*;somedir/temporary.txt;true",
        "*/temp*;somedir/temp;true",
        "*/temp*;temp;false",
        "*/*/temp*;somedir/subdir/temporary.txt;true",
        "*/*/temp*;somedir/temporary.txt;false",
        "temp?;tempa;true",
        "temp?;tempab;false",
        "**/*.go;a/b/c/main.go;true",
        "**/*.go;main.go;true",
        "**/*.go;main.goo;false",
        "node_modules;node_modules;true",
        "node_modules;node_modules/x/y.js;true",
        "node_modules;src/node_modules;false",
        "/build/;build/out.o;true",
        "./build;build;true",
        "a/../b;b;true",
        "*.md|!README.md;README.md;false",
        "*.md|!README.md;CHANGES.md;true",
        "*.md|!README*.md|README-secret.md;README-secret.md;true",
        "*.md|!README*.md|README-secret.md;README-public.md;false",
        "docs/**;docs/a/b.txt;true",
        "docs/**;docs;false",
        "docs/**;doc;false",
        "file[0-9].txt;file5.txt;true",
        "file[0-9].txt;filea.txt;false",
        "file[^0-9].txt;filea.txt;true",
        "x\\*y;x*y;true",
        "x\\*y;xay;false",
        "# comment|  |*.tmp;a.tmp;true",
        "dir|!dir/keep;dir/keep;false",
        "dir|!dir/keep;dir/other;true",
    })
    void excludes(String patterns, String path, boolean excluded) {
        assertEquals(excluded, DockerIgnore.parse(patterns.replace('|', '\n')).excludes(path));
    }

    @Test
    void none_excludesNothing_andExclusionsAreReported() {
        assertFalse(DockerIgnore.NONE.excludes("anything"));
        assertFalse(DockerIgnore.parse("a\n").hasExclusions());
        assertTrue(DockerIgnore.parse("a\n!a/b\n").hasExclusions());
    }

    @Test
    void invalidPatterns_nameTheLine() {
        IllegalArgumentException bang = assertThrows(IllegalArgumentException.class,
                () -> DockerIgnore.parse("a\n!\n"));
        assertEquals("parse .dockerignore line 2: illegal exclusion pattern: \"!\"", bang.getMessage());
        IllegalArgumentException klass = assertThrows(IllegalArgumentException.class,
                () -> DockerIgnore.parse("file[0-9.txt"));
        assertEquals("parse .dockerignore line 1: syntax error in pattern \"file[0-9.txt\"", klass.getMessage());
    }
}
