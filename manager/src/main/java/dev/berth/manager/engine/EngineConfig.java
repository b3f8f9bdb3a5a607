package dev.berth.manager.engine;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the engine keeps its files and what it creates containers on.
 *
 * @param state the engine's per-container directories, {@code <state root>/engine} ({@code <ns>/<id>/}: FIFOs,
 *     hostname, hosts, resolv.conf)
 * @param logs the containers' logs, {@code <root>/containers} ({@code <ns>/<id>/<id>-json.log}, docker's layout)
 * @param snapshotter berthd's configured snapshotter, where rootfs snapshots are prepared
 * @param runtime the runtime of the containers' tasks ({@code io.containerd.runc.v2})
 * @param bundles where the tasks' bundles are ({@code <state root>/io.containerd.runtime.v2.task}): a running
 *     container's rootfs is {@code <bundles>/<ns>/<id>/rootfs}
 */
public record EngineConfig(Path state, Path logs, String snapshotter, String runtime, Path bundles) {
    public EngineConfig {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(logs, "logs");
        Objects.requireNonNull(snapshotter, "snapshotter");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(bundles, "bundles");
    }
}
