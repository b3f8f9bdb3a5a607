package dev.berth.manager.build;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.diff.ContentDiffer;
import dev.berth.manager.diff.Mounter;
import dev.berth.manager.image.ManifestResolver;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.snapshot.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/** One build in progress: what its stages share (request, context, image writer, cache, progress, results). */
final class BuildRun {
    /** What runs on an image's files, mounted read-only for the call. */
    interface OnView<T> {
        T run(Path root) throws IOException;
    }

    final String namespace;
    final BuildRequest request;
    final BuildContext context;
    final ImageWriter writer;
    final BuildCache cache;
    final RunStep runs;
    final ContentDiffer differ;
    final Path work;
    final int total;
    final Optional<Instant> epoch;
    final Set<String> usedArgs = new HashSet<>();
    private final Consumer<String> progress;
    private final MetadataDb db;
    private final Mounter mounter;
    private final Builder.Puller puller;
    private final Clock clock;
    private final Map<String, ImageState> stages = new HashMap<>();
    private final Map<String, ImageState> pulled = new HashMap<>();
    private int step;

    BuildRun(String namespace, BuildRequest request, BuildContext context, ImageWriter writer, BuildCache cache,
             RunStep runs, ContentDiffer differ, Path work, int total, Consumer<String> progress, MetadataDb db, Mounter mounter,
             Builder.Puller puller, Clock clock) {
        this.namespace = namespace;
        this.request = request;
        this.context = context;
        this.writer = writer;
        this.cache = cache;
        this.runs = runs;
        this.differ = differ;
        this.work = work;
        this.total = total;
        this.progress = progress;
        this.db = db;
        this.mounter = mounter;
        this.puller = puller;
        this.clock = clock;
        this.epoch = Optional.ofNullable(request.buildArgs().get("SOURCE_DATE_EPOCH")).map(BuildRun::epoch);
    }

    private static Instant epoch(String value) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            throw BerthException.invalidArgument("build arg SOURCE_DATE_EPOCH " + value + ": not a number of "
                    + "seconds");
        }
    }

    /** A step's creation time: SOURCE_DATE_EPOCH when the build has it, else now. */
    Instant created() {
        return epoch.orElseGet(clock::instant);
    }

    void print(String text) {
        if (!request.quiet()) {
            progress.accept(text);
        }
    }

    /** {@code Step N/M : <instruction>}. */
    void step(String source) {
        print("Step " + ++step + "/" + total + " : " + source + "\n");
    }

    void stageBuilt(int index, Optional<String> name, ImageState image) {
        stages.put(Integer.toString(index), image);
        name.ifPresent(n -> stages.put(n.toLowerCase(Locale.ROOT), image));
    }

    /** An earlier stage by name or index. */
    Optional<ImageState> stage(String ref) {
        return Optional.ofNullable(stages.get(ref.toLowerCase(Locale.ROOT)));
    }

    /** A base image by reference: pulled when missing or when the build says so; NOT_FOUND when it cannot be. */
    ImageState image(String ref) throws IOException {
        ImageState known = pulled.get(ref);
        if (known != null) {
            return known;
        }
        String name;
        try {
            name = ImageReference.parse(ref).toString();
        } catch (IllegalArgumentException | BerthException e) {
            throw BerthException.invalidArgument("invalid reference format: " + ref);
        }
        Optional<ImageRecord> record = record(name);
        if (record.isEmpty() || request.pull()) {
            try {
                puller.pull(namespace, name);
            } catch (BerthException e) {
                if (record.isEmpty()) {
                    throw new BerthException(ErrorKind.NOT_FOUND, "pull access denied for " + ref + ", repository "
                            + "does not exist or may require authorization: " + e.getMessage());
                }
            }
            record = record(name);
        }
        if (record.isEmpty()) {
            throw BerthException.notFound("No such image: " + ref);
        }
        var resolved = ManifestResolver.resolve(db.contentStore(namespace, Optional.empty()), record.get().target(),
                Platform.LINUX_AMD64);
        ImageState image = ImageState.of(name, resolved);
        pulled.put(ref, image);
        return image;
    }

    private Optional<ImageRecord> record(String name) throws IOException {
        try {
            return Optional.of(db.images(namespace).get(name));
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Runs {@code body} on {@code image}'s files (an empty directory for an image without layers). */
    <T> T onView(ImageState image, OnView<T> body) throws IOException {
        Path dir = Files.createDirectories(work.resolve("views").resolve(random()));
        try {
            if (image.topChain().isEmpty()) {
                return body.run(dir);
            }
            String key = "build-view-" + random();
            List<Mount> mounts = writer.snapshots().view(key, image.topChain(), Map.of());
            try {
                mounter.mount(mounts, dir);
                try {
                    return body.run(dir);
                } finally {
                    mounter.unmount(dir);
                }
            } finally {
                writer.snapshots().remove(key);
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    static String random() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
