package dev.berth.runtime.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitPlanTest {
    private static void u32(ByteArrayOutputStream out, int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private static void field(ByteArrayOutputStream out, byte[] b) {
        u32(out, b.length);
        out.writeBytes(b);
    }

    private static byte[] i64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    /** "BPLN", the plan version, the record count. */
    private static ByteArrayOutputStream header(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("BPLN".getBytes(StandardCharsets.US_ASCII));
        u32(out, 3); // version
        u32(out, count);
        return out;
    }

    @Test
    void encode_matchesTheDocumentedLayoutByteForByte() {
        byte[] actual = new InitPlan().hostname("box").setns(0x40000000L, "/proc/1/ns/net")
                .exec(List.of("sh", "-c", "true")).encode();

        ByteArrayOutputStream expected = header(3);
        u32(expected, 11); // HOSTNAME
        u32(expected, 1);
        field(expected, "box".getBytes(StandardCharsets.UTF_8));
        u32(expected, 2); // SETNS
        u32(expected, 2);
        field(expected, i64(0x40000000L));
        field(expected, "/proc/1/ns/net".getBytes(StandardCharsets.UTF_8));
        u32(expected, 39); // EXEC
        u32(expected, 3);
        field(expected, "sh".getBytes(StandardCharsets.UTF_8));
        field(expected, "-c".getBytes(StandardCharsets.UTF_8));
        field(expected, "true".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(expected.toByteArray(), actual);
    }

    @Test
    void encode_startSignal_isOp45WithoutFields() {
        byte[] actual = new InitPlan().startSignal().encode();
        ByteArrayOutputStream expected = header(1);
        u32(expected, 45); // START_SIGNAL
        u32(expected, 0);
        assertArrayEquals(expected.toByteArray(), actual);
    }

    @Test
    void encode_runHook_putsTheArgCountBetweenArgsAndEnv() {
        InitPlan plan = new InitPlan().runHook("startContainer", "/bin/hook", 5, List.of("hook", "a"), List.of("X=1"));
        InitPlan.Step step = plan.steps().getFirst();
        assertArrayEquals(new Object[] {"startContainer", "/bin/hook", 5L, 2L, "hook", "a", "X=1"},
                step.fields().toArray());
    }
}
