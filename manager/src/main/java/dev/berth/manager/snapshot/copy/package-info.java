/** The copying snapshotter, containerd's "native": full copies, bind mounts, works on any filesystem. */
package dev.berth.manager.snapshot.copy;
