package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.identifiers.Identifiers;
import dev.berth.manager.snapshot.Snapshotter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * berthd's metadata database (containerd {@code metadata.DB}): namespaced records of images, containers, leases,
 * blobs and snapshots in one SQLite file, namespaced views over the shared content and snapshot backends, and the
 * garbage collector that ties them together. The schema is drawn in {@code package-info.java}.
 *
 * <p>Deletes collect garbage in the background, as containerd's do: a delete's own record is gone when it returns,
 * what it left unreferenced (other records, blobs, snapshot directories) a moment later. {@link #garbageCollect}
 * collects at once (containerd's {@code sync} delete); {@link #awaitGarbageCollected} waits for the background.
 *
 * <p>Every accessor takes the request's namespace and validates it (FAILED_PRECONDITION if empty,
 * INVALID_ARGUMENT if not an identifier). Reads in a namespace that does not exist find nothing; most writes create
 * the namespace, as containerd does.
 *
 * <p>The backends are the caller's: closing this closes only the database.
 */
public final class MetadataDb implements AutoCloseable {

    private final Database db;
    private final ContentStore content;
    private final Map<String, Snapshotter> snapshotters;
    private final GcScheduler gc;
    private final NamespaceStore namespaces;
    private final IngestLocks ingestLocks = new IngestLocks();

    private MetadataDb(Database db, ContentStore content, Map<String, Snapshotter> snapshotters, Duration gcDelay) {
        this.db = db;
        this.content = content;
        this.snapshotters = Map.copyOf(snapshotters);
        this.gc = GcScheduler.start(new GarbageCollector(db, content, snapshotters), gcDelay);
        this.namespaces = new NamespaceStore(db, gc);
    }

    /** Opens (creating if needed) and migrates the database at {@code dbFile}. */
    public static MetadataDb open(Path dbFile, ContentStore content, Map<String, Snapshotter> snapshotters)
            throws IOException {
        return open(dbFile, content, snapshotters, Clock.systemUTC());
    }

    /** As {@link #open(Path, ContentStore, Map)}, with the clock that stamps records and expires leases. */
    public static MetadataDb open(Path dbFile, ContentStore content, Map<String, Snapshotter> snapshotters,
                                  Clock clock) throws IOException {
        return open(dbFile, content, snapshotters, clock, Migrations.bundled(), GcScheduler.DELAY);
    }

    static MetadataDb open(Path dbFile, ContentStore content, Map<String, Snapshotter> snapshotters, Clock clock,
                           Migrations migrations) throws IOException {
        return open(dbFile, content, snapshotters, clock, migrations, GcScheduler.DELAY);
    }

    /** As the others, with the delay of the background collection after a delete (tests lengthen it). */
    static MetadataDb open(Path dbFile, ContentStore content, Map<String, Snapshotter> snapshotters, Clock clock,
                           Migrations migrations, Duration gcDelay) throws IOException {
        Database db = Database.open(dbFile, clock);
        boolean ok = false;
        try {
            migrations.apply(db);
            ok = true;
            return new MetadataDb(db, content, snapshotters, gcDelay);
        } finally {
            if (!ok) {
                db.close();
            }
        }
    }

    public NamespaceStore namespaces() {
        return namespaces;
    }

    public ImageStore images(String namespace) {
        Identifiers.validateNamespace(namespace);
        return new ImageStore(db, namespace, gc);
    }

    public ContainerStore containers(String namespace) {
        Identifiers.validateNamespace(namespace);
        return new ContainerStore(db, namespace, gc);
    }

    /** The engine's containers ({@code manager.engine}) of a namespace. */
    public EngineStore engineContainers(String namespace) {
        Identifiers.validateNamespace(namespace);
        return new EngineStore(db, namespace, EngineStore.Kind.CONTAINERS);
    }

    /** The engine's named volumes of a namespace. */
    public EngineStore engineVolumes(String namespace) {
        Identifiers.validateNamespace(namespace);
        return new EngineStore(db, namespace, EngineStore.Kind.VOLUMES);
    }

    /** berthd's networks ({@code manager.network}) and their endpoints; not namespaced, as docker's. */
    public NetworkStore networks() {
        return new NetworkStore(db);
    }

    public LeaseStore leases(String namespace) {
        Identifiers.validateNamespace(namespace);
        return new LeaseStore(db, namespace, gc);
    }

    /** The namespace's content view; writes and commits are added to {@code lease} if given (it must exist then). */
    public MetadataContentStore contentStore(String namespace, Optional<String> lease) {
        Identifiers.validateNamespace(namespace);
        return new MetadataContentStore(db, content, namespace, lease, gc, ingestLocks);
    }

    /**
     * The namespace's view of snapshotter {@code name}; prepared, viewed and committed snapshots are added to
     * {@code lease} if given. A name with no backend is INVALID_ARGUMENT, as containerd's "snapshotter not loaded":
     * NOT_FOUND would read as "no such snapshot" to clients that stat a key before preparing it.
     */
    public MetadataSnapshotter snapshotter(String namespace, String name, Optional<String> lease) {
        return snapshotter(namespace, name, lease, LiveTasks.NONE);
    }

    /**
     * As {@link #snapshotter(String, String, Optional)}, refusing to remove the rootfs snapshot of a container
     * that {@code live} says has a task.
     */
    public MetadataSnapshotter snapshotter(String namespace, String name, Optional<String> lease, LiveTasks live) {
        Identifiers.validateNamespace(namespace);
        Snapshotter backend = snapshotters.get(name);
        if (backend == null) {
            throw BerthException.invalidArgument("snapshotter " + name + ": not loaded (loaded: "
                    + String.join(", ", snapshotterNames()) + ")");
        }
        return new MetadataSnapshotter(db, backend, name, namespace, lease, gc, live);
    }

    /** The names of the snapshot backends this database was opened with. */
    public Set<String> snapshotterNames() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(snapshotters.keySet()));
    }

    /**
     * Runs one mark-and-sweep collection now, in the caller's thread; see {@link GarbageCollector} for what it
     * removes. What every delete before the call left unreferenced is gone when it returns.
     */
    public GcReport garbageCollect() throws IOException {
        return gc.collectNow();
    }

    /**
     * Waits until the background has collected after every delete made before the call; false if {@code timeout}
     * passed first.
     */
    public boolean awaitGarbageCollected(Duration timeout) throws InterruptedException {
        return gc.awaitCollected(timeout);
    }

    /**
     * Deletes berthd's own leases (of pulls, imports, commits) made before {@code startedAt}, which only an
     * earlier berthd can have made, then collects what they kept. Returns them as {@code <namespace>/<id>}.
     */
    public List<String> dropLeasesOfEarlierRun(Instant startedAt) throws IOException {
        List<String> dropped = new Leftovers(db, content, ingestLocks).dropOwnLeases(startedAt);
        if (!dropped.isEmpty()) {
            gc.collectNow();
        }
        return dropped;
    }

    /**
     * Aborts the ingests not written for {@code age} that no writer holds (record and data), and backend ingests
     * no record names. Returns what it aborted.
     */
    public List<String> removeStaleIngests(Duration age) throws IOException {
        return new Leftovers(db, content, ingestLocks).removeStaleIngests(db.now().minus(age));
    }

    /** The schema version of the open file ({@code PRAGMA user_version}). */
    int schemaVersion() throws IOException {
        return db.read("read schema version", Migrations::version);
    }

    @Override
    public void close() throws IOException {
        gc.close();
        db.close();
    }
}
