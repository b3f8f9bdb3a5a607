/**
 * What the local snapshotters share: their records ({@link dev.berth.manager.snapshot.storage.SnapshotIndex}),
 * their directories ({@link dev.berth.manager.snapshot.storage.SnapshotDirectories}) and the rules of the
 * {@link dev.berth.manager.snapshot.Snapshotter} contract
 * ({@link dev.berth.manager.snapshot.storage.DirectorySnapshotter}). Layout under a snapshotter's root:
 *
 * <pre>
 * &lt;root&gt;/
 *   metadata/
 *     &lt;id&gt;.properties        one record: id, key, parent (a key, or empty), kind, created, updated,
 *                             label.&lt;name&gt;=value
 *     &lt;id&gt;.properties.tmp    a record being written: written and fsynced, then renamed over &lt;id&gt;.properties
 *   snapshots/
 *     &lt;id&gt;/fs                the layer's files (overlay: upperdir while active, a lowerdir once committed;
 *                             copy: the whole tree)
 *     &lt;id&gt;/work              overlay's workdir (active overlay snapshots only)
 * </pre>
 *
 * Every record change is one atomic rename or unlink, so a crash leaves each record either old or new. Directories
 * are created before their record and deleted after it, so a crash can only leave a directory that no record
 * names; {@code cleanup()} removes those and half-written records. Records are read once at open and kept in
 * memory. Ids are never reused while a directory of that id exists.
 */
package dev.berth.manager.snapshot.storage;
