package dev.berth.cli.output;

import dev.berth.client.Results.Progress;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * docker's pull/push display on a terminal: one line per object (short digest, status, a bar with bytes done of
 * the total while it transfers), the whole block redrawn in place by moving the cursor up over the lines drawn
 * before. Byte counts arrive per chunk, so a redraw for them alone waits {@link #INTERVAL_NANOS} since the last
 * one; a status change redraws at once.
 */
public final class ProgressBars {
    static final long INTERVAL_NANOS = 100_000_000L;
    private static final int BAR = 50;

    private final PrintStream out;
    private final LongSupplier nanoTime;
    private final Map<String, String> lines = new LinkedHashMap<>();
    private final Map<String, String> statuses = new java.util.HashMap<>();
    private int drawn;
    private long lastDraw;
    private boolean pending;

    public ProgressBars(PrintStream out) {
        this(out, System::nanoTime);
    }

    ProgressBars(PrintStream out, LongSupplier nanoTime) {
        this.out = out;
        this.nanoTime = nanoTime;
        this.lastDraw = nanoTime.getAsLong() - INTERVAL_NANOS;
    }

    public void update(Progress p) {
        if (p.id().isEmpty()) {
            return;
        }
        String line = line(p);
        if (line.equals(lines.put(p.id(), line))) {
            return;
        }
        boolean statusChanged = !p.status().equals(statuses.put(p.id(), p.status()));
        long now = nanoTime.getAsLong();
        if (statusChanged || now - lastDraw >= INTERVAL_NANOS) {
            draw(now);
        } else {
            pending = true;
        }
    }

    /** Draws what a throttled update left out; call once the stream has ended. */
    public void finish() {
        if (pending) {
            draw(nanoTime.getAsLong());
        }
        out.flush();
    }

    private void draw(long now) {
        StringBuilder frame = new StringBuilder();
        if (drawn > 0) {
            frame.append("\033[").append(drawn).append('A');
        }
        for (String line : lines.values()) {
            frame.append("\r\033[2K").append(line).append('\n');
        }
        out.print(frame);
        out.flush();
        drawn = lines.size();
        lastDraw = now;
        pending = false;
    }

    static String line(Progress p) {
        String head = shortId(p.id()) + ": " + status(p);
        boolean moving = p.total() > 0 && p.offset() < p.total()
                && (p.status().equals("downloading") || p.status().equals("pushing")
                        || p.status().equals("uploading"));
        if (!moving) {
            return head;
        }
        int filled = (int) (BAR * Math.max(0, p.offset()) / p.total());
        String bar = "=".repeat(filled) + (filled < BAR ? ">" + " ".repeat(BAR - filled - 1) : "");
        return head + " [" + bar + "] " + Human.size(p.offset()) + "/" + Human.size(p.total());
    }

    private static String status(Progress p) {
        String s = p.status();
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The first 12 hex digits of a digest; anything else (an image reference) as it is. */
    public static String shortId(String id) {
        if (!id.startsWith("sha256:")) {
            return id;
        }
        String hex = id.substring("sha256:".length());
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
