package dev.berth.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.client.Results.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarsTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ProgressBars bars = new ProgressBars(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            clock::get);

    private static Progress p(String id, String status, long offset, long total) {
        return new Progress(id, status, offset, total, "");
    }

    private String takeFrame() {
        String frame = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return frame;
    }

    @Test
    void firstFrame_drawsOneLinePerObjectWithoutMovingUp() {
        bars.update(p(A, "waiting", 0, 4_000_000));
        assertEquals("\r\033[2Kaaaaaaaaaaaa: Waiting\n", takeFrame());
        bars.update(p(B, "waiting", 0, 1000));
        assertEquals("\033[1A\r\033[2Kaaaaaaaaaaaa: Waiting\n\r\033[2Kbbbbbbbbbbbb: Waiting\n", takeFrame());
    }

    @Test
    void downloading_drawsABarWithBytesDoneOfTheTotal() {
        bars.update(p(A, "waiting", 0, 4_000_000));
        bars.update(p(B, "waiting", 0, 1000));
        takeFrame();
        bars.update(p(A, "downloading", 1_000_000, 4_000_000));
        String bar = "[" + "=".repeat(12) + ">" + " ".repeat(37) + "]";
        assertEquals("\033[2A\r\033[2Kaaaaaaaaaaaa: Downloading " + bar + " 1MB/4MB\n"
                + "\r\033[2Kbbbbbbbbbbbb: Waiting\n", takeFrame());
    }

    @Test
    void byteCountsAlone_redrawAtMostEveryInterval_statusChangesAtOnce() {
        bars.update(p(A, "downloading", 1, 100));
        takeFrame();
        bars.update(p(A, "downloading", 2, 100));
        assertEquals("", takeFrame(), "a chunk within the interval waits");
        clock.addAndGet(ProgressBars.INTERVAL_NANOS);
        bars.update(p(A, "downloading", 3, 100));
        assertTrue(takeFrame().contains(" 3B/100B"));
        bars.update(p(A, "downloading", 50, 100));
        bars.update(p(A, "done", 100, 100));
        assertEquals("\033[1A\r\033[2Kaaaaaaaaaaaa: Done\n", takeFrame());
    }

    @Test
    void finish_drawsWhatTheIntervalHeldBack() {
        bars.update(p(A, "downloading", 1, 100));
        bars.update(p(A, "downloading", 60, 100));
        takeFrame();
        bars.finish();
        assertTrue(takeFrame().contains(" 60B/100B"));
    }

    @Test
    void referencesKeepTheirName() {
        bars.update(p("127.0.0.1:5000/busybox:latest", "resolved", 0, 0));
        assertEquals("\r\033[2K127.0.0.1:5000/busybox:latest: Resolved\n", takeFrame());
    }
}
