/**
 * docker's container model in berthd (the engine): {@link dev.berth.manager.engine.Engine} creates, starts,
 * stops, kills, restarts, removes, waits for, pauses, renames, inspects and lists containers with docker's names,
 * states and exit codes, over berthd's own stores and tasks; json-file logs with rotation
 * ({@link dev.berth.manager.engine.JsonFileLog}, {@link dev.berth.manager.engine.LogReader}); attach fan-out and
 * stdin; exec ({@link dev.berth.manager.engine.Execs}); restart policies with docker's back-off
 * ({@link dev.berth.manager.engine.Restarts}); exec-based health checks
 * ({@link dev.berth.manager.engine.HealthMonitor}); docker's events ({@link dev.berth.manager.engine.DockerEvents});
 * networking through {@link dev.berth.manager.engine.ContainerNetworking} (the {@code --network} modes over
 * {@code manager.network}'s sandboxes: set up before each task, torn down after it, on rm and a failed start);
 * docker's reports and changes, one class each: stats from the task's cgroup metrics
 * ({@link dev.berth.manager.engine.ContainerStats}), update ({@link dev.berth.manager.engine.ContainerUpdates}),
 * diff ({@link dev.berth.manager.engine.ContainerChanges}), system df ({@link dev.berth.manager.engine.DiskUsage})
 * and image prune ({@link dev.berth.manager.engine.ImagePrune}).
 *
 * <p>Layout: the engine's record of a container is a JSON document in the metadata database (migration 0002,
 * {@link dev.berth.manager.metadata.EngineStore}); its containerd container (id = the engine's 64-hex id) holds
 * the OCI spec and names the rootfs snapshot (key = id) on berthd's configured snapshotter. Files:
 * <pre>
 *   &lt;state&gt;/engine/&lt;ns&gt;/&lt;id&gt;/        init-stdin, init-stdout, init-stderr (FIFOs of the running task),
 *                                   exec-&lt;id12&gt;-* (of exec processes), hostname, hosts, resolv.conf, rootfs/,
 *                                   networking.json (the --network mode and NetworkingConfig), hosts.base and
 *                                   resolv.conf.base (the spec's files, rewritten from at each start)
 *                                   (the mount point of the rootfs while create resolves volumes and users)
 *   &lt;root&gt;/containers/&lt;ns&gt;/&lt;id&gt;/&lt;id&gt;-json.log(.N)   the json-file log and its rotated files
 * </pre>
 * The FIFOs outlive berthd with the task: a new berthd re-opens them ({@link dev.berth.manager.engine.Engine#recover}).
 */
package dev.berth.manager.engine;
