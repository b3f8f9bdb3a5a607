package dev.berth.manager.metadata;

import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.ContentStoreContract;
import dev.berth.manager.content.LocalContentStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The content-store contract against a namespace's {@link MetadataContentStore} over a {@link LocalContentStore},
 * as containerd runs its content test suite on its metadata layer ({@code core/metadata/content_test.go}). Blobs
 * are written under a lease, as berthd's clients write them: without one, the garbage collection that follows every
 * delete would take every other unreferenced blob with it.
 */
class MetadataBackedContentStoreTest extends ContentStoreContract {

    @TempDir
    Path dir;

    private static final String NAMESPACE = "contract";
    private static final String LEASE = "contract-suite";

    private MetadataDb db;

    @Override
    protected ContentStore createStore() throws IOException {
        db = MetadataDb.open(dir.resolve("metadata.db"), LocalContentStore.open(dir.resolve("content")), Map.of());
        db.leases(NAMESPACE).create(LEASE, Map.of());
        return db.contentStore(NAMESPACE, Optional.of(LEASE));
    }

    @Override
    protected void awaitDeletes() throws IOException {
        GcWait.await(db);
    }

    @AfterEach
    void closeDb() throws IOException {
        db.close();
    }
}
