package dev.berth.manager.snapshot;

/** containerd's snapshot kinds; the numbers are those of {@code containerd.services.snapshots.v1.Kind}. */
public enum SnapshotKind {
    VIEW(1), ACTIVE(2), COMMITTED(3);

    private final int number;

    SnapshotKind(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }
}
