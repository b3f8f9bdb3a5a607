/** berth-shim end to end: under a private real containerd ({@code ctr run --runtime <abs path>}). */
package dev.berth.it.shim;
