/** The overlayfs snapshotter (containerd's {@code plugins/snapshots/overlay}). */
package dev.berth.manager.snapshot.overlay;
