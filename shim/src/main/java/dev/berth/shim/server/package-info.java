/**
 * berth-shim's JVM entry point and composition root: the long-lived shim server ({@code serve}: group and socket,
 * child subreaper, reaper, ttrpc server, event publisher), the binary protocol's {@code delete} for a shim that
 * died, and {@code -v}. containerd's {@code start}, and a {@code delete} with nothing left to clean up, run without
 * a JVM in {@code src/main/c/berth-shim-start.c}.
 *
 * <pre>
 * containerd              berth-shim-start start (cwd = bundle)      berth-shim serve -bundle B -ready-fd 3
 *   exec ───────────────▶ namespace's server accepts? (lock, touch)
 *                         yes: its address. no: spawn (new session,
 *                         cwd /; fd 3 = pipe) ─────────────────────▶ group (ShimGroup); lock; the group's
 *                                                                    server accepts? (touch) else bind(socket)
 *                         read one line from fd 3 ◀─ unix://SOCK ─── (a joiner exits here)
 *   read stdout ◀──────── write B/address, print, exit 0            subreaper, reaper, events, serve(socket)
 *   ttrpc Create/Start/Wait/Delete/Shutdown ───────────────────────▶ TaskService for every task of the group;
 *                                                                    events ─▶ TTRPC_ADDRESS; Delete leaves
 *                                                                    B/berth-deleted; no task for the idle
 *                                                                    period: release the socket, exit (IdleExit)
 *   exec delete ────────▶ berth-shim-start delete: B/berth-deleted? print DeleteResponse{137, now}
 *                                                  else exec the JVM's delete (the shim died: clean up)
 * </pre>
 *
 * <p>Groups ({@link dev.berth.shim.server.ShimGroup}): by default one server per namespace of a containerd (or
 * berthd) instance; a bundle whose spec annotates {@code io.containerd.runc.v2.group} (or
 * {@code io.kubernetes.cri.sandbox-id}) gets its group's server (per pod); {@code BERTH_SHIM_GROUP=container} in
 * containerd's environment gives each task a server of its own, which exits on the Shutdown that finds no task
 * left, as before. A server exits only when it has served no task for {@code BERTH_SHIM_IDLE_SECONDS} (30 by
 * default) and no {@code start} has handed out its address for as long; that check and the removal of its socket
 * happen under the claim lock that every {@code start} takes to hand out an address. The server outlives
 * containerd: containerd reconnects through {@code <bundle>/address} and undelivered events wait in the publisher's
 * queue until its events socket is back.
 */
package dev.berth.shim.server;
