package dev.berth.manager.snapshot;

/** Disk usage of one snapshot's own layer (not its parents'). */
public record Usage(long size, long inodes) {
}
