/**
 * Task lifecycle: {@link dev.berth.manager.task.Tasks} is what the Tasks gRPC service calls; {@link
 * dev.berth.manager.task.ShimTasks} implements it with one shim per task (containerd's {@code core/runtime/v2}
 * task manager): it writes the bundle, launches the shim through {@code task.shim}, calls it over ttrpc, cleans
 * up after shims that die, and re-attaches to live shims after berthd restarts ({@link
 * dev.berth.manager.task.ShimTasks#recover}).
 *
 * <p>Its package-private parts, one concern each: {@code TaskTable} (the live tasks and the ids being created),
 * {@code TaskCreator} (bundle, shim launch, undo on failure), {@code ShimTeardown} (delete verb, shutdown, waiting
 * for the shim's exit), {@code DeadShimCleanup} (a broken shim connection: the task goes on with its group's new
 * shim server, found by {@code ShimReconnect}, or its shim is dead for good and it is cleaned up, with the events
 * berthd publishes then),
 * {@code ExitWatcher} (last exits from {@code /tasks/exit}), {@code TaskRecovery} (restart), {@code RecoveryGate}
 * (a namespace's calls held while its tasks are being recovered) and {@code Cleanup}
 * (clean-up steps whose failure is logged, not thrown).
 *
 * <p>Persistent layout, under the state root (default {@code /run/berth}; a tmpfs, so it ends with the boot just
 * as the containers do):
 *
 * <pre>
 * &lt;state&gt;/io.containerd.runtime.v2.task/
 *   &lt;namespace&gt;/
 *     &lt;id&gt;/                 the task's OCI bundle (0700)
 *       config.json          the spec, as given to create                        written by berthd
 *       rootfs/              empty (0711); the shim mounts the task's rootfs here  berthd, mounted by the shim
 *       log                  FIFO: the serving shim's stderr, read by berthd      berthd
 *       address              unix:///… of the shim's ttrpc socket                 berthd (and the shim)
 *       shim-binary-path     the shim executable, written before the shim starts  berthd
 *       …                    the shim's own files (init.pid, options.json, runtime, …)
 *     .&lt;id&gt;/                a bundle being deleted; removed by recover()
 * </pre>
 *
 * <p>Restart: berthd keeps nothing else. {@code recover()} takes every bundle with a reachable shim that still
 * knows the task as a live task (a shim that is gone is started again for the task's group, as when it dies while
 * berthd runs: berth-shim's new server takes the group's containers over); for any other it asks a shim that
 * answers to shut down, runs the shim's {@code delete} verb and removes the bundle. Because {@code shim-binary-path} is written before the shim starts, this
 * covers a berthd killed while it created a task too; a shim whose start was still running then finds its bundle
 * gone and exits by itself (berth-shim's {@code OrphanWatch}). Shims run in their own session, so containers
 * outlive berthd. berthd recovers while it serves ({@code startRecovery}): a namespace's task calls wait until its
 * tasks are back; its tasks' shims are asked all at once, over one connection per shim server.
 *
 * <p>Events: shims publish {@code /tasks/create}, {@code /tasks/start}, {@code /tasks/exit}, … themselves (through
 * {@code task.shim.EventsForwardServer} into the exchange, each {@code /tasks/exit} once). berthd publishes only
 * what no shim can: the {@code /tasks/exit} (if its shim had not) and {@code /tasks/delete} of a task whose shim
 * died, whose exit it also keeps in {@link
 * dev.berth.manager.task.LostTaskExits} (berthd: labels on the container) since the task is gone then.
 */
package dev.berth.manager.task;
