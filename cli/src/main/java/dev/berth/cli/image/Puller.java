package dev.berth.cli.image;

import dev.berth.cli.output.ProgressBars;
import dev.berth.client.Berth;
import dev.berth.client.Results;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Pulls and pushes through the client (berthd's transfer service) and shows its progress: on a terminal as
 * docker's bars ({@link ProgressBars}), otherwise as plain lines, one per object and status change
 * ({@code 3f4a1c2b9e0d: Downloading} only when the status changes, not per chunk).
 */
public final class Puller {
    private final Berth berth;
    private final PrintStream out;
    private final boolean bars;

    public Puller(Berth berth, PrintStream out) {
        this(berth, out, false);
    }

    /** {@code bars}: draw progress bars on {@code out}, which must be a terminal. */
    public Puller(Berth berth, PrintStream out, boolean bars) {
        this.berth = berth;
        this.out = out;
        this.bars = bars;
    }

    /** Pulls {@code name} (normalized); the images the daemon recorded. */
    public List<Results.PulledImage> pull(String name, String platform) {
        ProgressBars display = bars ? new ProgressBars(out) : null;
        List<Results.PulledImage> images = berth.images().pull(name, platform, shown(display));
        finish(display);
        return images;
    }

    public List<Results.PulledImage> push(String image, String reference) {
        ProgressBars display = bars ? new ProgressBars(out) : null;
        List<Results.PulledImage> images = berth.images().push(image, reference, shown(display));
        finish(display);
        return images;
    }

    private Consumer<Results.Progress> shown(ProgressBars display) {
        if (display != null) {
            return display::update;
        }
        Map<String, String> last = new HashMap<>();
        return p -> {
            if (p.id().isEmpty() || p.status().equals(last.put(p.id(), p.status()))) {
                return;
            }
            out.println(ProgressBars.shortId(p.id()) + ": " + capitalized(p.status()));
        };
    }

    private void finish(ProgressBars display) {
        if (display != null) {
            display.finish();
        }
        out.flush();
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
