package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.manager.content.Descriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many request threads share the one connection; the lock serialises them and every change lands whole. */
class MetadataConcurrencyTest extends MetadataFixture {

    @Test
    void concurrentWritersAndCollections_allChangesLand() throws Exception {
        int threads = 16;
        int perThread = 25;
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                String ns = "ns" + (t % 4);
                int thread = t;
                futures.add(pool.submit(() -> {
                    // as a pull does: the lease keeps each blob between its commit and the image that refers to it
                    String lease = "pull-" + thread;
                    db.leases(ns).create(lease, Map.of());
                    for (int i = 0; i < perThread; i++) {
                        String data = "blob-" + thread + "-" + i;
                        var d = commit(ns, Optional.of(lease), data, Map.of());
                        db.images(ns).create(ImageRecord.of("img-" + thread + "-" + i,
                                new Descriptor("m", d, data.length(), Map.of()), Map.of("t", "" + thread)));
                        if (i % 5 == 0) {
                            db.garbageCollect();
                        }
                    }
                    db.leases(ns).delete(lease);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        int images = 0;
        int blobs = 0;
        for (int n = 0; n < 4; n++) {
            images += db.images("ns" + n).list().size();
            blobs += db.contentStore("ns" + n, Optional.empty()).list().size();
        }
        assertEquals(threads * perThread, images);
        assertEquals(threads * perThread, blobs, "every image keeps its blob through the collections");
        assertEquals(0, db.garbageCollect().blobs().size());
    }
}
