/**
 * berth-shim, the shim server speaking containerd's shim v2 protocol for a group of containers, with a C
 * {@code berth-monitor} per container ({@code src/main/c}).
 */
package dev.berth.shim;
