package dev.berth.runtime.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StartSignalTest {
    private static byte[] error(int errno, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(12 + t.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(SyncMessage.ERROR).putInt(4 + t.length).putInt(errno).put(t).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    @Test
    void released_zero_isTheStartSignal() {
        assertTrue(StartSignal.released(new byte[] {'0'}));
    }

    @Test
    void released_nothing_meansTheInitWasGoneWithoutAWord() {
        assertFalse(StartSignal.released(new byte[0]));
    }

    @Test
    void released_errorOfAStartContainerHook_isThrownWithTheHookNamed() {
        InitException e = assertThrows(InitException.class,
                () -> StartSignal.released(error(0, "startContainer hook /bin/false: exit status 1")));
        assertEquals("startContainer hook /bin/false: exit status 1", e.getMessage());
    }

    @Test
    void released_errorAfterTheSignal_isThrownWithItsErrno() {
        InitException e = assertThrows(InitException.class,
                () -> StartSignal.released(concat(new byte[] {'0'}, error(2, "exec /bin/gone"))));
        assertEquals("exec /bin/gone: no such file or directory", e.getMessage());
        assertEquals(2, e.errno());
    }

    @Test
    void released_garbage_isAnError() {
        assertThrows(InitException.class, () -> StartSignal.released("00".getBytes(StandardCharsets.US_ASCII)));
        byte[] truncated = error(0, "startContainer hook /x: exit status 1");
        assertThrows(InitException.class,
                () -> StartSignal.released(Arrays.copyOf(truncated, truncated.length - 1)));
    }
}
