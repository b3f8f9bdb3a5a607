package dev.berth.manager.diff;

import dev.berth.manager.snapshot.Mount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Mounts a snapshot's mounts on a directory and takes them off again (containerd {@code mount.All} / {@code UnmountAll}). */
public interface Mounter {

    /** Mounts each of {@code mounts}, in order, on {@code target}; on failure, what was mounted is unmounted. */
    void mount(List<Mount> mounts, Path target) throws IOException;

    /** Unmounts everything mounted on {@code target} (lazily if it stays busy). */
    void unmount(Path target) throws IOException;
}
