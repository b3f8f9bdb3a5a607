/** berth-shim, the per-container supervisor speaking containerd's shim v2 protocol. */
package dev.berth.shim;
