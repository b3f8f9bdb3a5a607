/**
 * berthd's metadata: the only code that opens the database. Namespaced records of images, containers, leases,
 * blobs and snapshots; per-namespace views over the shared content store and snapshotters; garbage collection.
 * Modelled on containerd's {@code core/metadata}. Entry point: {@link dev.berth.manager.metadata.MetadataDb}.
 *
 * <h2>Database</h2>
 *
 * <p>One SQLite file ({@code <root>/metadata.db}), WAL journal, foreign keys on, 5 s busy timeout, one connection
 * guarded by one lock; every multi-statement change is one transaction. The schema is created and changed only
 * by numbered SQL scripts ({@code resources/.../metadata/migrations/NNNN-*.sql}) applied in order, each in its own
 * transaction that also sets {@code PRAGMA user_version} to the script's number. Times are INTEGER nanoseconds
 * since the epoch. Version 1:
 *
 * <pre>
 * sequence(id=1, value)                  one counter; makes backend keys unique over time
 *
 * namespaces(name PK, created_at, updated_at)
 *  ├─ namespace_labels(namespace, key, value)
 *  ├─ images(namespace, name PK2, media_type, digest, size, created_at, updated_at)      target = descriptor
 *  │   ├─ image_labels(namespace, image, key, value)
 *  │   └─ image_annotations(namespace, image, key, value)                                target's annotations
 *  ├─ containers(namespace, id PK2, image, runtime_name, runtime_options_type, runtime_options BLOB,
 *  │   │         spec_type, spec BLOB, snapshotter, snapshot_key, sandbox, created_at, updated_at)
 *  │   ├─ container_labels(namespace, container, key, value)
 *  │   └─ container_extensions(namespace, container, name, type_url, value BLOB)
 *  ├─ leases(namespace, id PK2, created_at)
 *  │   ├─ lease_labels(namespace, lease, key, value)           containerd.io/gc.expire = RFC 3339 time
 *  │   └─ lease_resources(namespace, lease, type, id)          content | snapshots/&lt;snapshotter&gt; | ingests
 *  ├─ blobs(namespace, digest PK2, size, created_at, updated_at)   a blob committed in this namespace
 *  │   └─ blob_labels(namespace, digest, key, value)
 *  ├─ ingests(namespace, ref PK2, backend_ref UNIQUE, expected?, total, started_at)
 *  │                                        backend_ref = &lt;namespace&gt;/&lt;seq&gt;/&lt;ref&gt;; expected set = shared ingest
 *  └─ snapshots(namespace, snapshotter, key PK3, backend_key, parent?, kind, created_at, updated_at)
 *      │      backend_key = &lt;namespace&gt;/&lt;seq&gt;/&lt;key&gt;, UNIQUE per snapshotter;
 *      │      (namespace, snapshotter, parent) → snapshots, deferred, so a chain can go in one transaction
 *      └─ snapshot_labels(namespace, snapshotter, snapshot, key, value)
 * </pre>
 *
 * <p>Version 2 adds the engine's documents ({@code engine_containers(namespace, id PK2, name UNIQUE2, record)},
 * {@code engine_volumes(namespace, name PK2, record)}); version 3 adds berthd's networks, which are not namespaced
 * ({@code networks(id PK, name UNIQUE, record)}, {@link dev.berth.manager.metadata.NetworkStore}) and their
 * endpoints ({@code network_endpoints(network → networks, namespace, container PK3, record)}; no cascade: a
 * network with endpoints stays).
 *
 * <p>Child rows go with their owner ({@code ON DELETE CASCADE}); deleting a namespace requires it to hold no
 * images, blobs, containers or snapshots, and takes its leases and ingests with it.
 *
 * <h2>Backends</h2>
 *
 * <p>The content store and the snapshotters are not namespaced. The database is the truth: a backend object no
 * record refers to is garbage, removed by the next collection; a change calls its backend last inside its
 * transaction, so a failing backend leaves no record behind.
 *
 * <p>One writer per namespaced ingest ref at a time ({@code IngestLocks}; a second is UNAVAILABLE "ref … locked"
 * and retries), shared writers included. What interrupted work leaves (berthd's own leases of an earlier run,
 * ingests not written for a while, backend ingests no record names) is removed by {@code Leftovers}. A full disk
 * is RESOURCE_EXHAUSTED "no space left on device", from SQLite (SQLITE_FULL) as from the content store. Removing
 * the rootfs snapshot of a container that has a task ({@link dev.berth.manager.metadata.LiveTasks}) is refused.
 */
package dev.berth.manager.metadata;
