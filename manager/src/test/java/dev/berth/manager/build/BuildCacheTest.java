package dev.berth.manager.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.LocalContentStore;
import dev.berth.manager.image.ContentBlobs;
import dev.berth.manager.image.ImageLabels;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.oci.Manifest;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.MetadataContentStore;
import dev.berth.manager.metadata.MetadataDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCacheTest {
    @TempDir
    Path dir;

    @Test
    void find_aSecondLookupOfAnEntryReadsNoBlob() throws IOException {
        LocalContentStore blobs = LocalContentStore.open(dir.resolve("content"));
        try (MetadataDb db = MetadataDb.open(dir.resolve("metadata.db"), blobs, Map.of())) {
            MetadataContentStore content = db.contentStore("ns", Optional.empty());
            Descriptor config = ContentBlobs.write(content, MediaTypes.OCI_CONFIG, ("{\"architecture\":\"amd64\","
                    + "\"os\":\"linux\",\"config\":{\"Env\":[\"A=b\"]},\"rootfs\":{\"type\":\"layers\","
                    + "\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8), Map.of());
            Manifest manifest = new Manifest(2, MediaTypes.OCI_MANIFEST, OciDescriptor.of(config), List.of(), null);
            Descriptor target = ContentBlobs.write(content, MediaTypes.OCI_MANIFEST,
                    ContentBlobs.JSON.writeValueAsBytes(manifest), ImageLabels.ofManifest(manifest));
            String name = BuildCache.name("sha256:parent", "/bin/sh -c #(nop)  ENV A=b\n");
            db.images("ns").create(ImageRecord.of(name, target, Map.of()));
            BuildCache cache = new BuildCache(db, "overlayfs");
            assertEquals(config.digest().toString(), cache.find("ns", name).orElseThrow().id());

            // the manifest's blob gone behind the store's back: the entry's manifest is not read again
            blobs.delete(target.digest());
            ImageState again = cache.find("ns", name).orElseThrow();
            assertEquals(config.digest().toString(), again.id());
            assertEquals(List.of("A=b"), again.env());
            assertTrue(new BuildCache(db, "overlayfs").find("ns", name).isEmpty(), "a new cache reads the blob");
        }
    }
}
