package dev.berth.manager.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.manager.engine.volume.ContainerMount;
import dev.berth.model.ContainerConfig;
import dev.berth.model.Health;
import dev.berth.model.HostConfig;
import java.util.List;
import java.util.Objects;

/**
 * The engine's record of one container, stored as JSON in {@link dev.berth.manager.metadata.EngineStore}: what
 * docker keeps in its {@code config.v2.json} (configuration, state, restart bookkeeping). Times are RFC 3339
 * strings, empty for never.
 *
 * @param image the image's id ({@code sha256:} of its config)
 * @param imageName the reference as given at create ({@code busybox})
 * @param snapshotter where the rootfs snapshot (key = id) lives
 * @param manuallyStopped docker's {@code HasBeenManuallyStopped}: a stop suspends {@code always} and
 *     {@code unless-stopped} until the next start
 * @param startedBefore docker's {@code HasBeenStartedBefore}
 */
record EngineContainer(@JsonProperty("id") String id,
                       @JsonProperty("name") String name,
                       @JsonProperty("created") String created,
                       @JsonProperty("path") String path,
                       @JsonProperty("args") List<String> args,
                       @JsonProperty("config") ContainerConfig config,
                       @JsonProperty("hostConfig") HostConfig hostConfig,
                       @JsonProperty("image") String image,
                       @JsonProperty("imageName") String imageName,
                       @JsonProperty("snapshotter") String snapshotter,
                       @JsonProperty("mounts") List<ContainerMount> mounts,
                       @JsonProperty("state") RunState state,
                       @JsonProperty("restartCount") int restartCount,
                       @JsonProperty("manuallyStopped") boolean manuallyStopped,
                       @JsonProperty("startedBefore") boolean startedBefore) {

    EngineContainer {
        Objects.requireNonNull(id, "id");
        args = args == null ? List.of() : List.copyOf(args);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    /**
     * A container's run state.
     *
     * @param status docker's word
     * @param health absent without a healthcheck or while not running
     */
    record RunState(@JsonProperty("status") String status,
                    @JsonProperty("pid") int pid,
                    @JsonProperty("exitCode") int exitCode,
                    @JsonProperty("error") String error,
                    @JsonProperty("startedAt") String startedAt,
                    @JsonProperty("finishedAt") String finishedAt,
                    @JsonProperty("oomKilled") boolean oomKilled,
                    @JsonProperty("health") Health health) {

        static RunState created() {
            return new RunState(ContainerStatus.CREATED.word(), 0, 0, "", "", "", false, null);
        }

        ContainerStatus statusValue() {
            return ContainerStatus.of(status);
        }

        RunState withStatus(ContainerStatus s) {
            return new RunState(s.word(), pid, exitCode, error, startedAt, finishedAt, oomKilled, health);
        }

        RunState withHealth(Health h) {
            return new RunState(status, pid, exitCode, error, startedAt, finishedAt, oomKilled, h);
        }
    }

    ContainerStatus status() {
        return state.statusValue();
    }

    EngineContainer withState(RunState s) {
        return new EngineContainer(id, name, created, path, args, config, hostConfig, image, imageName,
                snapshotter, mounts, s, restartCount, manuallyStopped, startedBefore);
    }

    EngineContainer withName(String n) {
        return new EngineContainer(id, n, created, path, args, config, hostConfig, image, imageName, snapshotter,
                mounts, state, restartCount, manuallyStopped, startedBefore);
    }

    EngineContainer withHostConfig(HostConfig h) {
        return new EngineContainer(id, name, created, path, args, config, h, image, imageName, snapshotter,
                mounts, state, restartCount, manuallyStopped, startedBefore);
    }

    EngineContainer withRestarts(int count, boolean manual, boolean started) {
        return new EngineContainer(id, name, created, path, args, config, hostConfig, image, imageName,
                snapshotter, mounts, state, count, manual, started);
    }
}
