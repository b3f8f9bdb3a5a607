package dev.berth.manager.engine.volume;

import dev.berth.manager.content.LocalContentStore;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.sys.LinuxSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Volumes over a real metadata database in a temp dir, with in-memory container users and volumes-from sources
 * the test fills (the engine's containers stand behind these two interfaces in berthd).
 */
final class VolumeFixture implements AutoCloseable {
    static final String NS = "default";
    static final LinuxSyscalls SYS = LinuxSyscalls.loadBuilt();

    final Path dir;
    final Path volumesRoot;
    final Path rootfs;
    final MetadataDb db;
    /** volume name → container ids using it. */
    final Map<String, List<String>> users = new HashMap<>();
    /** container name → its mounts. */
    final Map<String, List<ContainerMount>> containers = new HashMap<>();
    final Volumes volumes;

    VolumeFixture(Path dir) throws IOException {
        this.dir = dir;
        this.volumesRoot = dir.resolve("root/volumes");
        this.rootfs = Files.createDirectories(dir.resolve("rootfs"));
        this.db = MetadataDb.open(dir.resolve("metadata.db"),
                LocalContentStore.open(dir.resolve("content")), Map.of());
        this.volumes = open();
    }

    Volumes open() {
        return new Volumes(db, volumesRoot, (ns, volume) -> users.getOrDefault(volume, List.of()),
                Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC), SYS);
    }

    VolumesFromSource volumesFrom() {
        return (ns, container) -> {
            List<ContainerMount> m = containers.get(container);
            if (m == null) {
                throw dev.berth.api.errdefs.BerthException.notFound("no such container: " + container);
            }
            return m;
        };
    }

    void use(String volume, String container) {
        users.computeIfAbsent(volume, k -> new ArrayList<>()).add(container);
    }

    @Override
    public void close() throws IOException {
        db.close();
    }
}
