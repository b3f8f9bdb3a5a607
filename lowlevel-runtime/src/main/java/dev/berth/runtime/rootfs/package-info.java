/** The container's filesystem set-up resolved from the spec: mounts, devices, /dev symlinks, masked paths. */
package dev.berth.runtime.rootfs;
