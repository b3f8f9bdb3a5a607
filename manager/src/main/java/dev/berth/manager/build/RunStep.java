package dev.berth.manager.build;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.diff.ContentDiffer;
import dev.berth.manager.engine.Attachment;
import dev.berth.manager.engine.Engine;
import dev.berth.manager.engine.OutputListener;
import dev.berth.manager.engine.OutputStreamKind;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.snapshot.Mount;
import dev.berth.model.ContainerConfig;
import dev.berth.model.HostConfig;
import dev.berth.model.LogConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A RUN step: a container of the step's image made and started by the engine (its defaults, as {@code berth run}:
 * same runtime, spec, user and working directory; network {@code none} unless the build names one; no log file),
 * its output streamed as the build's progress, and, once it exited 0, the changes of its rootfs snapshot against
 * the image's top snapshot written as a layer by the differ. The container is removed whatever happens.
 */
final class RunStep {
    /** The files the engine mounts into every container, relative to the root. */
    static final List<String> MOUNT_POINTS = List.of("etc/hosts", "etc/hostname", "etc/resolv.conf");

    private final Engine engine;
    private final MetadataDb db;
    private final ContentDiffer differ;

    RunStep(Engine engine, MetadataDb db, ContentDiffer differ) {
        this.engine = engine;
        this.db = db;
        this.differ = differ;
    }

    /**
     * Runs {@code argv} in a container of {@code image} with {@code env}; answers the layer of its changes.
     * FAILED_PRECONDITION with docker's message when it exits non-zero.
     */
    Descriptor run(String namespace, ImageWriter writer, ImageState image, List<String> argv, List<String> env,
                   String network, Set<String> imageHas, Consumer<String> progress) throws IOException {
        ContainerConfig config = ContainerConfig.EMPTY.toBuilder().image(image.name()).cmd(argv).entrypoint(List.of())
                .env(env).labels(Map.of("dev.berth.build", "run")).build();
        HostConfig host = HostConfig.EMPTY.toBuilder().networkMode(network.isEmpty() ? "none" : network)
                .logConfig(new LogConfig("none", Map.of())).build();
        String id = engine.create(namespace, "", config, host).id();
        try {
            progress.accept(" ---> Running in " + id.substring(0, 12) + "\n");
            CompletableFuture<Integer> ended = new CompletableFuture<>();
            try (Attachment ignored = engine.attach(namespace, id, new OutputListener() {
                @Override
                public void output(OutputStreamKind stream, byte[] data) {
                    progress.accept(new String(data, StandardCharsets.UTF_8));
                }

                @Override
                public void ended(int exitCode) {
                    ended.complete(exitCode);
                }
            })) {
                engine.start(namespace, id);
                int code = ended.join();
                if (code != 0) {
                    throw new BerthException(ErrorKind.FAILED_PRECONDITION, "The command '" + String.join(" ", argv)
                            + "' returned a non-zero code: " + code);
                }
            }
            dropMountPoints(namespace, id, imageHas);
            return diff(namespace, writer, image, db.containers(namespace).get(id).snapshotKey(), id);
        } finally {
            progress.accept("Removing intermediate container " + id.substring(0, 12) + "\n");
            remove(namespace, id);
        }
    }

    /**
     * Removes the empty files the runtime made as mount points for the container's own {@code /etc/hosts},
     * {@code /etc/hostname} and {@code /etc/resolv.conf} when the image has no such file: they belong to the
     * container, not to the image (docker keeps them in a layer it does not commit).
     */
    private void dropMountPoints(String namespace, String id, Set<String> imageHas) throws IOException {
        engine.onRootfs(namespace, id, (rootfs, mounts, readOnly) -> {
            for (String f : MOUNT_POINTS) {
                Path p = rootfs.resolve(f);
                if (!imageHas.contains(f) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0) {
                    Files.delete(p);
                }
            }
            return null;
        });
    }

    /** The layer between the image's top snapshot (through a temporary view) and the container's snapshot. */
    private Descriptor diff(String namespace, ImageWriter writer, ImageState image, String key, String id)
            throws IOException {
        var snapshots = writer.snapshots();
        if (image.topChain().isEmpty()) {
            return differ.compare(writer.content(), List.of(), snapshots.mounts(key), image.layerMediaType(), "",
                    Map.of());
        }
        String view = "build-view-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        List<Mount> lower = snapshots.view(view, image.topChain(), Map.of());
        try {
            return differ.compare(writer.content(), lower, snapshots.mounts(key), image.layerMediaType(), "",
                    Map.of());
        } finally {
            snapshots.remove(view);
        }
    }

    private void remove(String namespace, String id) throws IOException {
        try {
            engine.remove(namespace, id, true, true);
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
    }
}
