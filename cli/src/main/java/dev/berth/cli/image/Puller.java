package dev.berth.cli.image;

import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.api.services.transfer.v1.PullRequest;
import dev.berth.api.services.transfer.v1.PushRequest;
import dev.berth.cli.client.Berth;
import dev.berth.cli.output.ProgressBars;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Pulls and pushes through berthd's transfer service and shows its progress: on a terminal as docker's bars
 * ({@link ProgressBars}), otherwise as plain lines, one per object and status change
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
    public List<dev.berth.api.services.transfer.v1.Image> pull(String name, String platform) {
        return follow(berth.transfer().pull(PullRequest.newBuilder().setReference(name).setPlatform(platform).build()));
    }

    public List<dev.berth.api.services.transfer.v1.Image> push(String image, String reference) {
        return follow(berth.transfer().push(PushRequest.newBuilder().setImage(image).setReference(reference).build()));
    }

    private List<dev.berth.api.services.transfer.v1.Image> follow(Iterator<Progress> progress) {
        ProgressBars display = bars ? new ProgressBars(out) : null;
        Map<String, String> last = new HashMap<>();
        List<dev.berth.api.services.transfer.v1.Image> images = List.of();
        while (progress.hasNext()) {
            Progress p = progress.next();
            if (!p.getImagesList().isEmpty()) {
                images = p.getImagesList();
            }
            if (display != null) {
                display.update(p);
                continue;
            }
            if (p.getId().isEmpty() || p.getStatus().equals(last.put(p.getId(), p.getStatus()))) {
                continue;
            }
            out.println(ProgressBars.shortId(p.getId()) + ": " + capitalized(p.getStatus()));
        }
        if (display != null) {
            display.finish();
        }
        out.flush();
        return images;
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
