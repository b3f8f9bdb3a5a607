package dev.berth.manager.metadata;

/**
 * The labels garbage collection reads (containerd {@code metadata/gclabels}); writers such as the image puller set
 * them so that what they store stays reachable.
 */
public final class GcLabels {

    /** On a blob or snapshot: keep it regardless of references (any value). */
    public static final String ROOT = "containerd.io/gc.root";
    /**
     * On any record: the value is a digest the record keeps. Every key equal to this or starting with it plus
     * {@code .} counts ({@code .config}, {@code .l.<n>}, {@code .m.<n>}, …).
     */
    public static final String REF_CONTENT = "containerd.io/gc.ref.content";
    /** Prefix; {@code containerd.io/gc.ref.snapshot.<snapshotter>} = a snapshot key the record keeps. */
    public static final String REF_SNAPSHOT_PREFIX = "containerd.io/gc.ref.snapshot.";
    /** On a lease: an RFC 3339 time after which the lease no longer keeps anything and is removed. */
    public static final String EXPIRE = "containerd.io/gc.expire";

    private GcLabels() {
    }
}
