package dev.berth.manager.dockerapi;

import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.model.DockerJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transfer service's progress as docker's JSON message stream, one object per line: per layer (the first 12
 * hex digits of its digest) "Pulling fs layer", "Downloading" with {@code progressDetail}, "Download complete",
 * "Extracting", "Pull complete" or "Already exists"; then the digest and docker's last status, "Status: Downloaded
 * newer image for …" or "Status: Image is up to date for …" (docker-java decides success from it). Pushes say
 * "Preparing", "Pushing", "Pushed" or "Layer already exists", then docker's digest line and {@code aux}.
 */
final class ProgressJson {

    private final boolean pull;
    private final String reference;
    private final String tag;
    private boolean transferred;
    private String digest = "";
    private long size;

    private ProgressJson(boolean pull, String reference, String tag) {
        this.pull = pull;
        this.reference = reference;
        this.tag = tag;
    }

    static ProgressJson pull(String reference) {
        return new ProgressJson(true, reference, "");
    }

    static ProgressJson push(String reference, String tag) {
        return new ProgressJson(false, reference, tag);
    }

    List<byte[]> first() {
        if (pull) {
            int colon = reference.lastIndexOf(':');
            boolean tagged = colon > reference.lastIndexOf('/');
            String repo = tagged ? reference.substring(0, colon) : reference;
            String t = tagged ? reference.substring(colon + 1) : "latest";
            return List.of(line(ordered("status", "Pulling from " + (repo.contains("/") ? repo : "library/" + repo),
                    "id", t)));
        }
        String repo = reference.lastIndexOf(':') > reference.lastIndexOf('/')
                ? reference.substring(0, reference.lastIndexOf(':')) : reference;
        return List.of(line(Map.of("status", "The push refers to repository [" + repo + "]")));
    }

    List<byte[]> lines(Progress p) {
        if (!p.getImagesList().isEmpty()) {
            digest = p.getImages(0).getTarget().getDigest();
            size = p.getImages(0).getTarget().getSize();
            return List.of();
        }
        if (!p.getMediaType().contains("layer") || !p.getId().startsWith("sha256:")) {
            return List.of();
        }
        String id = p.getId().substring("sha256:".length(), Math.min(p.getId().length(), 19));
        String status = pull ? pullStatus(p.getStatus()) : pushStatus(p.getStatus());
        if (status == null) {
            return List.of();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        if (p.getStatus().equals("downloading") || p.getStatus().equals("uploading")) {
            transferred = true;
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("current", p.getOffset());
            detail.put("total", p.getTotal());
            m.put("progressDetail", detail);
        } else {
            m.put("progressDetail", Map.of());
        }
        if (p.getStatus().equals("done")) {
            transferred = true;
        }
        m.put("id", id);
        return List.of(line(m));
    }

    private static String pullStatus(String s) {
        return switch (s) {
            case "waiting" -> "Pulling fs layer";
            case "downloading" -> "Downloading";
            case "done" -> "Download complete";
            case "extracting" -> "Extracting";
            case "unpacked" -> "Pull complete";
            case "exists" -> "Already exists";
            default -> null;
        };
    }

    private static String pushStatus(String s) {
        return switch (s) {
            case "waiting" -> "Preparing";
            case "uploading", "downloading" -> "Pushing";
            case "done" -> "Pushed";
            case "exists", "mounted" -> "Layer already exists";
            default -> null;
        };
    }

    List<byte[]> last() {
        List<byte[]> out = new ArrayList<>();
        if (pull) {
            if (!digest.isEmpty()) {
                out.add(line(Map.of("status", "Digest: " + digest)));
            }
            out.add(line(Map.of("status", (transferred ? "Status: Downloaded newer image for "
                    : "Status: Image is up to date for ") + reference)));
        } else {
            out.add(line(Map.of("status", tag + ": digest: " + digest + " size: " + size)));
            out.add(line(ordered("progressDetail", Map.of(), "aux", ordered("Tag", tag, "Digest", digest,
                    "Size", size))));
        }
        return out;
    }

    static byte[] error(String message) {
        return line(ordered("errorDetail", Map.of("message", message), "error", message));
    }

    /** A JSON object with its keys in the order given (docker's order; Map.of has none). */
    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static byte[] line(Map<String, ?> m) {
        return SystemEndpoints.line(DockerJson.write(m));
    }
}
