package dev.berth.manager.diff;

import java.nio.file.Path;
import java.util.List;

/**
 * How {@link LayerApplier} writes a layer into a directory.
 *
 * @param whiteouts  what the directory is, and so how deletions are written
 * @param lowerDirs  for {@link Whiteouts#OVERLAY_UPPER}: the overlay's lower directories, nearest first, from
 *                   which missing parent directories take their metadata and hard-link targets are copied up
 * @param allowDevices whether character and block device entries may be created (the daemon is trusted to
 *                   unpack them, as containerd does when it is root); refused otherwise
 */
public record ApplyOptions(Whiteouts whiteouts, List<Path> lowerDirs, boolean allowDevices) {

    public ApplyOptions {
        lowerDirs = List.copyOf(lowerDirs);
    }

    /** How the OCI whiteouts ({@code .wh.<name>}, {@code .wh..wh..opq}) are carried out. */
    public enum Whiteouts {
        /** The directory shows the whole stack (a mounted snapshot): deleting the path is enough. */
        MERGED_VIEW,
        /** The directory is an overlay upperdir: write overlay whiteouts (char 0:0) and opaque xattrs. */
        OVERLAY_UPPER,
        /**
         * The directory is an overlay layer whose lower layers are not there yet (it is committed onto them later):
         * overlay whiteouts as for {@link #OVERLAY_UPPER}; a directory the layer uses without listing it is created
         * root's, mode 0755, and named in {@link DetachedLayer#unlistedDirectories()} to take its metadata from the
         * lower layers later; a hard link to a file below throws {@link LowerLayersNeeded}.
         */
        DETACHED_UPPER;

        /** Whether deletions are written as overlay whiteouts and opaque xattrs. */
        boolean overlay() {
            return this != MERGED_VIEW;
        }
    }

    /** Into a mounted snapshot (or any directory that shows the whole stack); devices refused. */
    public static ApplyOptions mergedView() {
        return new ApplyOptions(Whiteouts.MERGED_VIEW, List.of(), false);
    }

    /** Straight into an overlay upperdir whose lower directories are {@code lowerDirs}, nearest first. */
    public static ApplyOptions overlayUpper(List<Path> lowerDirs) {
        return new ApplyOptions(Whiteouts.OVERLAY_UPPER, lowerDirs, false);
    }

    /** Into an overlay layer whose lower layers are not known yet (see {@link Whiteouts#DETACHED_UPPER}). */
    public static ApplyOptions detachedUpper() {
        return new ApplyOptions(Whiteouts.DETACHED_UPPER, List.of(), false);
    }

    public ApplyOptions allowingDevices(boolean allow) {
        return new ApplyOptions(whiteouts, lowerDirs, allow);
    }
}
