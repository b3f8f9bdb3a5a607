/**
 * berthd's side of containerd's shim v2 protocol, for any shim that speaks it (berth-shim,
 * containerd-shim-runc-v2): {@link dev.berth.manager.task.shim.ShimLauncher} runs the binary's {@code start} and
 * {@code delete} verbs, {@link dev.berth.manager.task.shim.ShimClient} calls {@code containerd.task.v2.Task} over
 * ttrpc, {@link dev.berth.manager.task.shim.ShimLog} drains the bundle's {@code log} FIFO, and {@link
 * dev.berth.manager.task.shim.EventsForwardServer} receives the events shims forward to {@code TTRPC_ADDRESS}.
 *
 * <p>The bootstrap, as containerd's {@code core/runtime/v2/binary.go} runs it:
 *
 * <pre>
 * berthd                                   shim binary (cwd = bundle)
 *   write bundle/shim-binary-path         (first: a restarted berthd can clean up after any start)
 *   mkfifo bundle/log, open it to read
 *   exec BIN -namespace NS -address GRPC
 *        -publish-binary BERTHD -id ID
 *        [-debug] start                 →  starts (or finds) the serving shim in its own session,
 *   env TTRPC_ADDRESS=EVENTS, stdin=Any      which writes its stderr to bundle/log
 *   read stdout until EOF               ←  prints unix:///path/to/socket, exits 0
 *   write bundle/address
 *   ttrpc connect; Task/Create …
 *
 * after the shim died:
 *   exec BIN … -id ID -bundle B delete  →  forcibly removes the container, unmounts B/rootfs,
 *   parse stdout as DeleteResponse     ←   prints a DeleteResponse (protobuf bytes)
 * </pre>
 */
package dev.berth.manager.task.shim;
