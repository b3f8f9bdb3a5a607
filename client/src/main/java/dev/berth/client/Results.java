package dev.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.List;

/** What the typed calls answer besides docker's JSON documents. */
public final class Results {
    private Results() {
    }

    /** A created container: its full id and the daemon's warnings. */
    public record Created(String id, List<String> warnings) {
        public Created {
            warnings = List.copyOf(warnings);
        }
    }

    /** {@code docker top}: ps's titles and one row of columns per process. */
    public record Top(List<String> titles, List<List<String>> processes) {
    }

    /** What a prune removed and the bytes it freed. */
    public record Pruned(List<String> deleted, long spaceReclaimed) {
    }

    /** docker's image prune answer: each name untagged and each image deleted, in order, and the bytes freed. */
    public record ImagesPruned(List<ImageDeleted> items, long spaceReclaimed) {
    }

    /** One item of docker's {@code ImagesDeleted}: a name untagged ({@code untagged}) or an image id deleted. */
    public record ImageDeleted(boolean untagged, String name) {
    }

    /** A path of a container as a tar stream, with docker's PathStat of it; close the stream when done. */
    public record Archive(JsonNode stat, InputStream tar) {
    }

    /** One step of a pull or push: the object (a layer's digest), its status, bytes done of total. */
    public record Progress(String id, String status, long offset, long total, String mediaType) {
    }

    /** An image a pull or push recorded: its name, its manifest's (or index's) digest and size. */
    public record PulledImage(String name, String digest, long size) {
    }

    /** berthd's version. */
    public record Version(String version, String revision) {
    }
}
