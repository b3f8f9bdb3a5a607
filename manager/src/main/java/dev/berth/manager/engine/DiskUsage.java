package dev.berth.manager.engine;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.engine.volume.Volumes;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.model.ContainerSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * docker's {@code /system/df}: {@code LayersSize} (every layer of the namespace's images once), the images with
 * {@code SharedSize} (what their layers share with another image) and {@code Containers} (how many containers
 * use them), the containers with {@code SizeRw} (their snapshot's own bytes) and {@code SizeRootFs} (that plus
 * their image), the volumes with {@code UsageData} ({@code Size}, {@code RefCount}), and an empty
 * {@code BuildCache}. Image and layer sizes are those of the image's layers as the image list shows them.
 */
public final class DiskUsage {
    private final Engine engine;
    private final EngineImages images;
    private final Volumes volumes;
    private final MetadataDb db;

    public DiskUsage(Engine engine, EngineImages images, Volumes volumes, MetadataDb db) {
        this.engine = engine;
        this.images = images;
        this.volumes = volumes;
        this.db = db;
    }

    public Map<String, Object> df(String namespace) throws IOException {
        Map<String, List<OciDescriptor>> layersById = layers(namespace);
        Map<String, Integer> imagesPerLayer = new HashMap<>();
        Map<String, Long> layerSizes = new HashMap<>();
        layersById.values().forEach(ls -> ls.stream().map(OciDescriptor::digest).distinct().forEach(d ->
                imagesPerLayer.merge(d, 1, Integer::sum)));
        layersById.values().forEach(ls -> ls.forEach(l -> layerSizes.put(l.digest(), l.size())));
        List<Map<String, Object>> imageList = new ArrayList<>();
        Map<String, Long> imageSizes = new HashMap<>();
        for (Map<String, Object> summary : images.list(namespace, Map.of())) {
            Map<String, Object> i = new LinkedHashMap<>(summary);
            String id = (String) i.get("Id");
            long shared = 0;
            for (OciDescriptor l : layersById.getOrDefault(id, List.of())) {
                if (imagesPerLayer.getOrDefault(l.digest(), 0) > 1) {
                    shared += l.size();
                }
            }
            i.put("SharedSize", shared);
            imageSizes.put(id, ((Number) i.get("Size")).longValue());
            imageList.add(i);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("LayersSize", layerSizes.values().stream().mapToLong(Long::longValue).sum());
        doc.put("Images", imageList);
        List<ContainerSummary> containers = new ArrayList<>();
        for (ContainerSummary c : engine.list(namespace, true, Map.of(), 0)) {
            containers.add(withSizes(namespace, c, imageSizes));
        }
        doc.put("Containers", containers);
        doc.put("Volumes", volumes.usage(namespace));
        doc.put("BuildCache", List.of());
        return doc;
    }

    /** What a container prune removed and docker's {@code SpaceReclaimed}: the removed containers' own bytes. */
    public record PrunedContainers(List<String> deleted, long spaceReclaimed) {
    }

    /** docker's container prune ({@link Engine#prune}) with the bytes the removed containers' snapshots held. */
    public PrunedContainers pruneContainers(String namespace, Map<String, List<String>> filters) throws IOException {
        Map<String, Long> sizes = new HashMap<>();
        for (EngineContainer c : engine.containers(namespace)) {
            if (!c.status().isRunningForDocker()) {
                sizes.put(c.id(), sizeRw(namespace, c.snapshotter(), c.id()));
            }
        }
        List<String> deleted = engine.prune(namespace, filters);
        return new PrunedContainers(deleted, deleted.stream().mapToLong(id -> sizes.getOrDefault(id, 0L)).sum());
    }

    /** The summaries with docker's {@code size} figures ({@code ps --size}). */
    public List<ContainerSummary> withSizes(String namespace, List<ContainerSummary> summaries) throws IOException {
        Map<String, Long> imageSizes = new HashMap<>();
        for (Map<String, Object> i : images.list(namespace, Map.of())) {
            imageSizes.put((String) i.get("Id"), ((Number) i.get("Size")).longValue());
        }
        List<ContainerSummary> out = new ArrayList<>();
        for (ContainerSummary c : summaries) {
            out.add(withSizes(namespace, c, imageSizes));
        }
        return out;
    }

    private ContainerSummary withSizes(String namespace, ContainerSummary c, Map<String, Long> imageSizes)
            throws IOException {
        long rw = sizeRw(namespace, engine.lookup(namespace, c.id()).snapshotter(), c.id());
        long rootFs = rw + imageSizes.getOrDefault(c.imageId(), 0L);
        return new ContainerSummary(c.id(), c.names(), c.image(), c.imageId(), c.command(), c.created(), c.ports(),
                rw, rootFs, c.labels(), c.state(), c.status(), c.hostConfig(), c.networkSettings(), c.mounts());
    }

    /** The bytes of the container's own snapshot (its changes); 0 if it has none. */
    private long sizeRw(String namespace, String snapshotter, String id) throws IOException {
        try {
            return db.snapshotter(namespace, snapshotter, Optional.empty()).usage(id).size();
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            return 0;
        }
    }

    /** The layers of each image id of the namespace. */
    private Map<String, List<OciDescriptor>> layers(String namespace) throws IOException {
        ImageResolver resolver = new ImageResolver(db);
        Map<String, List<OciDescriptor>> out = new HashMap<>();
        for (ImageRecord r : resolver.list(namespace)) {
            try {
                ImageResolver.EngineImage i = resolver.resolve(namespace, r);
                List<OciDescriptor> ls = i.resolved().manifest().layers();
                out.put(i.id(), ls == null ? List.of() : ls);
            } catch (BerthException e) {
                // content missing (an interrupted pull): not an image docker would count
            }
        }
        return out;
    }
}
