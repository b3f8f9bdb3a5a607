/**
 * The shim's processes: the container's init and exec'd processes, their lifecycle states, and the one
 * {@link dev.berth.shim.process.Reaper} that waits for every child of the shim (it is their subreaper).
 * {@link dev.berth.shim.process.ReaperSyscalls} is the process role whose {@code waitpid} waits through the reaper;
 * the server puts it in front of the other system calls with {@code Syscalls.withProcesses}.
 */
package dev.berth.shim.process;
