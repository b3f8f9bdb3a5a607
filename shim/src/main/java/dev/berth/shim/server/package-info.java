/**
 * berth-shim's JVM entry point and composition root: the long-lived {@code serve} process (group and socket, child
 * subreaper, reaper, ttrpc server, event publisher), the warm {@code spare}, the binary protocol's {@code delete}
 * for a shim that died, and {@code -v}. containerd's {@code start}, and a {@code delete} with nothing left to
 * clean up, run without a JVM in {@code src/main/c/berth-shim-start.c}.
 *
 * <pre>
 * containerd              berth-shim-start start (cwd = bundle)      berth-shim serve -bundle B -ready-fd 3
 *   exec ───────────────▶ spawn (new session; fd 3 = pipe) ────────▶ group from B/config.json; lock; the
 *                                                                    group's shim accepts? else bind(socket)
 *                         read one line from fd 3 ◀─ unix://SOCK ─── (a joiner exits here)
 *   read stdout ◀──────── write B/address, print, exit 0            subreaper, reaper, events, serve(socket)
 *   ttrpc Create/Start/Wait/Delete/Shutdown ───────────────────────▶ TaskService; events ─▶ TTRPC_ADDRESS
 *                                                                    Delete leaves B/berth-deleted; Shutdown: exit
 *                                                                    (so too with no task and B gone: OrphanWatch)
 *   exec delete ────────▶ berth-shim-start delete: B/berth-deleted? print DeleteResponse{137, now}
 *                                                  else exec the JVM's delete (the shim died: clean up)
 * </pre>
 *
 * <p>With {@code BERTH_SHIM_SPARE=1} in containerd's environment, {@code start} hands the task to a warm spare
 * ({@link dev.berth.shim.server.SpareCommand}: a serving JVM started before its task, one per containerd) when one
 * waits, and spawns the next; a start that finds none spawns {@code serve} as above.
 *
 * <p>Grouping: a bundle whose spec annotates {@code io.containerd.runc.v2.group} (or
 * {@code io.kubernetes.cri.sandbox-id}) gets the group's socket; the serving copy that {@code start} spawned finds
 * it accepting, reports that address and exits, so one {@code serve} process serves every task of the group and
 * exits on the Shutdown that finds no task left. The serving copy outlives containerd: containerd reconnects
 * through {@code <bundle>/address} and undelivered events wait in the publisher's queue until its events socket is
 * back.
 */
package dev.berth.shim.server;
