package dev.berth.cli.image;

import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.api.services.transfer.v1.PullRequest;
import dev.berth.api.services.transfer.v1.PushRequest;
import dev.berth.cli.client.Berth;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Pulls and pushes through berthd's transfer service and prints its progress as plain lines, one per object and
 * status change ({@code 3f4a1c2b9e0d: Downloading 1.2MB/4.4MB} only when the status changes, not per chunk).
 */
public final class Puller {
    private final Berth berth;
    private final PrintStream out;

    public Puller(Berth berth, PrintStream out) {
        this.berth = berth;
        this.out = out;
    }

    /** Pulls {@code name} (normalized); the images the daemon recorded. */
    public List<dev.berth.api.services.transfer.v1.Image> pull(String name, String platform) {
        return follow(berth.transfer().pull(PullRequest.newBuilder().setReference(name).setPlatform(platform).build()));
    }

    public List<dev.berth.api.services.transfer.v1.Image> push(String image, String reference) {
        return follow(berth.transfer().push(PushRequest.newBuilder().setImage(image).setReference(reference).build()));
    }

    private List<dev.berth.api.services.transfer.v1.Image> follow(Iterator<Progress> progress) {
        Map<String, String> last = new HashMap<>();
        List<dev.berth.api.services.transfer.v1.Image> images = List.of();
        while (progress.hasNext()) {
            Progress p = progress.next();
            if (!p.getImagesList().isEmpty()) {
                images = p.getImagesList();
            }
            if (p.getId().isEmpty() || p.getStatus().equals(last.put(p.getId(), p.getStatus()))) {
                continue;
            }
            out.println(shortId(p.getId()) + ": " + capitalized(p.getStatus()));
        }
        out.flush();
        return images;
    }

    static String shortId(String id) {
        int colon = id.indexOf(':');
        String hex = colon >= 0 && id.startsWith("sha256:") ? id.substring(colon + 1) : id;
        return hex.length() > 12 && id.startsWith("sha256:") ? hex.substring(0, 12) : hex;
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
