package dev.berth.shim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamUriTest {
    @Test
    void parse_emptyIsNone() {
        assertEquals(new StreamUri.None(), StreamUri.parse("", "stdout of create c1"));
    }

    @Test
    void parse_plainPathIsAFifo() {
        assertEquals(new StreamUri.Fifo("/run/fifo/c1-stdout"), StreamUri.parse("/run/fifo/c1-stdout", "stdout"));
        assertEquals(new StreamUri.Fifo("/run/f"), StreamUri.parse("fifo:///run/f", "stdout"));
    }

    @Test
    void parse_fileUri() {
        assertEquals(new StreamUri.File(Path.of("/var/log/c1.log")), StreamUri.parse("file:///var/log/c1.log", "s"));
    }

    @Test
    void parse_binaryUri_queryBecomesArgumentsInOrder() {
        assertEquals(new StreamUri.Binary(Path.of("/usr/bin/logger"), List.of("--dir", "/tmp/a b", "flag", "")),
                StreamUri.parse("binary:///usr/bin/logger?--dir=/tmp/a%20b&flag", "s"));
    }

    @Test
    void parse_unknownScheme_namesIt() {
        StdioException e = assertThrows(StdioException.class, () -> StreamUri.parse("http://x/y", "stdout of c1"));
        assertTrue(e.getMessage().contains("stdout of c1: unknown scheme http"), e.getMessage());
    }
}
