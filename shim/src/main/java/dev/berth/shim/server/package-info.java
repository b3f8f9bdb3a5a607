/**
 * berth-shim's entry point and composition root: the shim v2 binary protocol ({@code start}, {@code delete},
 * {@code -v}) and the long-lived {@code serve} process (child subreaper, reaper, ttrpc server, event publisher).
 *
 * <pre>
 * containerd                     berth-shim start (cwd = bundle)           berth-shim serve (own session)
 *   exec ──────────────────────▶ spawn (new session) launcher … serve ──▶ subreaper, reaper, listen(socket)
 *                                poll connect(socket) until it accepts ◀── accepting
 *   read stdout ◀─ unix://SOCK ─ write bundle/address, print, exit 0
 *   ttrpc Create/Start/Wait/Delete/Shutdown ─────────────────────────────▶ TaskService; events ─▶ TTRPC_ADDRESS
 * </pre>
 *
 * <p>Grouping: a bundle whose spec annotates {@code io.containerd.runc.v2.group} (or
 * {@code io.kubernetes.cri.sandbox-id}) gets the group's socket; {@code start} finds it accepting and prints it
 * without spawning, so one {@code serve} process serves every task of the group and exits on the Shutdown that
 * finds no task left. The serving copy outlives containerd: containerd reconnects through {@code <bundle>/address}
 * and undelivered events wait in the publisher's queue until its events socket is back.
 */
package dev.berth.shim.server;
