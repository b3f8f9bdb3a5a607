/**
 * berth-shim's entry point and composition root: the shim v2 binary protocol ({@code start}, {@code delete},
 * {@code -v}) and the long-lived {@code serve} process (child subreaper, reaper, ttrpc server, event publisher).
 *
 * <pre>
 * containerd                     berth-shim start (cwd = bundle)           berth-shim serve (own session)
 *   exec ──────────────────────▶ spawn setsid launcher … serve ──────────▶ subreaper, reaper, listen(socket)
 *                                poll connect(socket) until it accepts ◀── accepting
 *   read stdout ◀─ unix://SOCK ─ write bundle/address, print, exit 0
 *   ttrpc Create/Start/Wait/Delete/Shutdown ─────────────────────────────▶ TaskService; events ─▶ TTRPC_ADDRESS
 * </pre>
 */
package dev.berth.shim.server;
