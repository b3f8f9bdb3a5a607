/**
 * Starting processes inside containers: the init plan that the C program berth-init executes, the typed sync
 * protocol with it, and {@link dev.berth.runtime.process.ParentProcess}, the runtime's side of it; what the init
 * writes into exec.fifo for {@code start} ({@link dev.berth.runtime.process.StartSignal}). The protocol and the
 * plan's ops are specified in {@code docs/init-protocol.md}.
 */
package dev.berth.runtime.process;
