package dev.berth.manager.image.commit;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.metadata.ContainerRecord;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.MetadataDb;
import java.io.IOException;

/**
 * docker's "container → image": looks the container up, pauses its task while the changes are read (when asked
 * and when it has a running task), and commits them with {@link ImageCommitter}.
 */
public final class ContainerCommit {

    /** The task operations a commit needs; absent tasks answer NOT_FOUND. */
    public interface Pausing {
        void pause(String namespace, String containerId);

        void resume(String namespace, String containerId);
    }

    private final MetadataDb db;
    private final ImageCommitter committer;
    private final Pausing tasks;

    public ContainerCommit(MetadataDb db, ImageCommitter committer, Pausing tasks) {
        this.db = db;
        this.committer = committer;
        this.tasks = tasks;
    }

    public ImageRecord commit(String namespace, String containerId, CommitOptions options, boolean pause)
            throws IOException {
        ContainerRecord container = db.containers(namespace).get(containerId);
        boolean paused = pause && pause(namespace, containerId);
        try {
            return committer.commit(namespace, container, options);
        } finally {
            if (paused) {
                tasks.resume(namespace, containerId);
            }
        }
    }

    /** Pauses the container's task; false when it has none or it is not running (nothing to pause). */
    private boolean pause(String namespace, String containerId) {
        try {
            tasks.pause(namespace, containerId);
            return true;
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.FAILED_PRECONDITION) {
                return false;
            }
            throw e;
        }
    }
}
