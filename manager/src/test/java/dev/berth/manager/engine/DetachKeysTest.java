package dev.berth.manager.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import org.junit.jupiter.api.Test;

class DetachKeysTest {

    @Test
    void bytes_dockersSyntax() {
        assertArrayEquals(new byte[] {16, 17}, DetachKeys.bytes("ctrl-p,ctrl-q"));
        assertArrayEquals(new byte[] {0, 27, 28, 29, 30, 31}, DetachKeys.bytes("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,"
                + "ctrl-_"));
        assertArrayEquals(new byte[] {'x', 1}, DetachKeys.bytes("x,ctrl-a"));
    }

    @Test
    void bytes_invalid_isDockersError() {
        BerthException e = assertThrows(BerthException.class, () -> DetachKeys.parse("ctrl-1"));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertEquals("Invalid detach keys (ctrl-1) provided", e.getMessage());
        assertThrows(BerthException.class, () -> DetachKeys.parse("ab"));
    }

    @Test
    void scan_defaultSequenceAcrossReads() {
        DetachKeys k = DetachKeys.parse("");
        DetachKeys.Scan first = k.scan(new byte[] {'h', 'i', 16});
        assertArrayEquals(new byte[] {'h', 'i'}, first.pass(), "ctrl-p is held back");
        assertFalse(first.detach());
        DetachKeys.Scan second = k.scan(new byte[] {17, 'z'});
        assertTrue(second.detach());
        assertArrayEquals(new byte[0], second.pass());
    }

    @Test
    void scan_brokenSequence_passesTheHeldKeys() {
        DetachKeys k = DetachKeys.parse("ctrl-p,ctrl-q");
        assertArrayEquals(new byte[0], k.scan(new byte[] {16}).pass());
        DetachKeys.Scan s = k.scan(new byte[] {'a'});
        assertArrayEquals(new byte[] {16, 'a'}, s.pass());
        assertFalse(s.detach());
        DetachKeys.Scan again = k.scan(new byte[] {16, 16, 17});
        assertArrayEquals(new byte[] {16}, again.pass(), "a repeated first key starts the sequence again");
        assertTrue(again.detach());
    }
}
