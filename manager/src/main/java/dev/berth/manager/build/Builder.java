package dev.berth.manager.build;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.build.dockerfile.Dockerfile;
import dev.berth.manager.build.dockerfile.DockerfileParser;
import dev.berth.manager.build.dockerfile.Expander;
import dev.berth.manager.build.dockerfile.Instruction;
import dev.berth.manager.build.dockerfile.KeyValue;
import dev.berth.manager.build.dockerfile.Stage;
import dev.berth.manager.diff.ContentDiffer;
import dev.berth.manager.diff.Mounter;
import dev.berth.manager.engine.Engine;
import dev.berth.manager.fs.Permissions;
import dev.berth.manager.fs.TreeDeleter;
import dev.berth.manager.image.Unpacker;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Builds images from Dockerfiles in berthd, with the classic builder's semantics (docker without BuildKit,
 * buildah): the context extracted into a private work directory, the Dockerfile parsed, each stage up to the
 * target built step by step ({@link StageBuild}) under one lease, the result tagged. Progress is docker's classic
 * output. Whatever fails, the work directory, the lease and any RUN container are gone when this returns; the
 * cache entries of the steps that succeeded stay, as docker's intermediate images do.
 */
public final class Builder {
    private static final Log LOG = Log.of(Builder.class);

    private final MetadataDb db;
    private final Engine engine;
    private final ContentDiffer differ;
    private final Unpacker unpacker;
    private final Mounter mounter;
    private final Puller puller;
    private final String snapshotter;
    private final Path workRoot;
    private final Clock clock;
    private final BuildCache cache;

    /** Pulls a base image (the build's {@code --pull}, or a base not present). */
    public interface Puller {
        void pull(String namespace, String reference) throws IOException;
    }

    public Builder(MetadataDb db, Engine engine, ContentDiffer differ, Unpacker unpacker, Mounter mounter,
                   Puller puller, String snapshotter, Path workRoot, Clock clock) {
        this.db = db;
        this.engine = engine;
        this.differ = differ;
        this.unpacker = unpacker;
        this.mounter = mounter;
        this.puller = puller;
        this.snapshotter = snapshotter;
        this.workRoot = workRoot;
        this.clock = clock;
        this.cache = new BuildCache(db, snapshotter);
    }

    /**
     * Builds {@code request} in {@code namespace} from {@code context} (a tar stream, possibly empty); sends the
     * progress text to {@code progress}; answers the image id. INVALID_ARGUMENT for a bad Dockerfile or option,
     * NOT_FOUND for an unknown base image, FAILED_PRECONDITION for a RUN that failed.
     */
    public String build(String namespace, BuildRequest request, InputStream context, Consumer<String> progress)
            throws IOException {
        Path work = Permissions.createDirectories(workRoot, Permissions.PRIVATE_DIRECTORY)
                .resolve("build-" + BuildRun.random());
        Files.createDirectory(work);
        try {
            BuildContext ctx = BuildContext.extract(context, Files.createDirectory(work.resolve("context")), false);
            String text = request.dockerfileText().isPresent() ? request.dockerfileText().get()
                    : ctx.read(request.dockerfile().isEmpty() ? "Dockerfile" : request.dockerfile());
            Dockerfile dockerfile = DockerfileParser.parse(text);
            return build(namespace, request, dockerfile, ctx, work, progress);
        } finally {
            try {
                TreeDeleter.delete(work);
            } catch (IOException e) {
                LOG.warn("remove build work directory", e, "dir", work);
            }
        }
    }

    private String build(String namespace, BuildRequest request, Dockerfile dockerfile, BuildContext ctx, Path work,
                         Consumer<String> progress) throws IOException {
        List<String> names = request.tags().stream().map(Builder::normalize).toList();
        List<Stage> stages = stages(dockerfile, request.target());
        List<Instruction> labels = labelStep(request.labels());
        int total = labels.size();
        for (Stage s : stages) {
            total += 1 + s.instructions().size();
        }
        Map<String, String> globalArgs = globalArgs(dockerfile, request);
        try (BuildLease lease = new BuildLease(db.leases(namespace), clock)) {
            ImageWriter writer = new ImageWriter(db, namespace, snapshotter, lease, unpacker);
            BuildRun run = new BuildRun(namespace, request, ctx, writer, cache,
                    new RunStep(engine, db, differ), differ, work, total, progress, db, mounter, puller, clock);
            ImageState image = null;
            for (Stage s : stages) {
                boolean last = s == stages.getLast();
                image = new StageBuild(run, dockerfile.escape(), globalArgs).build(s, last ? labels : List.of());
                run.stageBuilt(s.index(), s.name(), image);
            }
            unusedArgs(request, dockerfile, run);
            String id = image.id();
            if (id.isEmpty()) {
                throw BerthException.invalidArgument("build: the image is scratch with no step: nothing to tag");
            }
            run.print("Successfully built " + StageBuild.shortId(id) + "\n");
            for (String name : names) {
                writer.tag(name, image);
                run.print("Successfully tagged " + familiar(name) + "\n");
            }
            return id;
        }
    }

    /** The stages up to the target (all of them without one); INVALID_ARGUMENT naming an unknown target. */
    private static List<Stage> stages(Dockerfile dockerfile, String target) {
        if (dockerfile.stages().isEmpty()) {
            throw BerthException.invalidArgument("dockerfile parse error: no build stage in current context");
        }
        if (target.isEmpty()) {
            return dockerfile.stages();
        }
        for (Stage s : dockerfile.stages()) {
            if (s.name().map(n -> n.equalsIgnoreCase(target)).orElse(false)) {
                return dockerfile.stages().subList(0, s.index() + 1);
            }
        }
        throw BerthException.invalidArgument("failed to reach build target " + target + " in Dockerfile");
    }

    /** {@code --label}s as docker adds them: one LABEL step at the end of the last stage. */
    private static List<Instruction> labelStep(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return List.of();
        }
        Map<String, String> sorted = new TreeMap<>(labels);
        List<KeyValue> pairs = new ArrayList<>();
        StringBuilder source = new StringBuilder("LABEL");
        sorted.forEach((k, v) -> {
            pairs.add(new KeyValue(k, v));
            source.append(' ').append(CreatedBy.quote(k)).append("='").append(v).append('\'');
        });
        return List.of(new Instruction.Label(pairs, 0, source.toString()));
    }

    /** The ARGs before the first FROM, with the build args' values: what FROM lines may use. */
    private static Map<String, String> globalArgs(Dockerfile dockerfile, BuildRequest request) {
        Map<String, String> out = new HashMap<>();
        for (Instruction.Arg a : dockerfile.globalArgs()) {
            Instruction.Arg expanded = (Instruction.Arg) a.expand(new Expander(dockerfile.escape(),
                    n -> Optional.ofNullable(out.get(n))));
            String value = request.buildArgs().containsKey(a.name()) ? request.buildArgs().get(a.name())
                    : expanded.defaultValue().orElse(null);
            out.put(a.name(), value);
        }
        return out;
    }

    private static void unusedArgs(BuildRequest request, Dockerfile dockerfile, BuildRun run) {
        List<String> unused = new ArrayList<>();
        for (String name : new TreeMap<>(request.buildArgs()).keySet()) {
            boolean global = dockerfile.globalArgs().stream().anyMatch(a -> a.name().equals(name));
            if (!run.usedArgs.contains(name) && !global && !name.equals("SOURCE_DATE_EPOCH")) {
                unused.add(name);
            }
        }
        if (!unused.isEmpty()) {
            run.print("[Warning] One or more build-args [" + String.join(" ", unused) + "] were not consumed\n");
        }
    }

    private static String normalize(String tag) {
        try {
            ImageReference ref = ImageReference.parse(tag);
            if (ref.digest().isPresent()) {
                throw BerthException.invalidArgument("invalid reference format: " + tag + ": a tag, not a digest");
            }
            return ref.toString();
        } catch (IllegalArgumentException e) {
            throw BerthException.invalidArgument("invalid reference format: " + tag);
        }
    }

    /** docker's familiar form of a name: {@code docker.io/library/app:1} is {@code app:1}. */
    static String familiar(String name) {
        String n = name.startsWith("docker.io/library/") ? name.substring("docker.io/library/".length())
                : name.startsWith("docker.io/") ? name.substring("docker.io/".length()) : name;
        return n;
    }
}
