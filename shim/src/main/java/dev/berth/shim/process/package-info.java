/**
 * The shim's processes: the container's init and exec'd processes, their lifecycle states, and the one
 * {@link dev.berth.shim.process.Reaper} that waits for every child of the shim (it is their subreaper).
 */
package dev.berth.shim.process;
