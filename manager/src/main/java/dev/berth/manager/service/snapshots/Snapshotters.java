package dev.berth.manager.service.snapshots;

import dev.berth.manager.snapshot.Snapshotter;
import java.util.Optional;

/**
 * A namespace's view of a snapshotter by name, under the call's lease if it has one (the metadata layer). An empty
 * name is the configured default; an unknown name is INVALID_ARGUMENT, as containerd's "snapshotter not loaded".
 */
@FunctionalInterface
public interface Snapshotters {
    Snapshotter open(String namespace, String snapshotter, Optional<String> lease);
}
