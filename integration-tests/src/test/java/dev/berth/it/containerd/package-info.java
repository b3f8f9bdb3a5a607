/**
 * The runtime under test as a drop-in for runc beneath real containerd and its runc v2 shim, driven with {@code ctr}
 * against a private containerd.
 */
package dev.berth.it.containerd;
