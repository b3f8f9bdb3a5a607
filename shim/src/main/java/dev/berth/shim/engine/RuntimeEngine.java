package dev.berth.shim.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * What the shim needs from an OCI runtime for the containers under one state root: the verbs of the runtime CLI
 * (runc's, as containerd's go-runc drives them), typed.
 *
 * <p>Lifecycle (runtime spec): {@code create} leaves the init waiting in status {@code created}; {@code start}
 * lets it exec the user process ({@code running}); {@code pause}/{@code resume} freeze and thaw it; once the init
 * has exited the container is {@code stopped} and {@code delete} removes it (with {@code force}, in any status).
 * The init and exec'd processes become children of the calling process (directly, or re-parented to it as the
 * child subreaper once the runtime exits): the caller reaps them.
 *
 * <p>Every method throws {@link EngineException}: NOT_FOUND for an unknown id, ALREADY_EXISTS for an id in use,
 * FAILED_PRECONDITION for a verb the status does not allow, INVALID_ARGUMENT for a bad bundle, spec or id.
 */
public interface RuntimeEngine {

    /** Creates a container from a bundle and returns its init's host pid. */
    int create(String id, Path bundle, CreateRequest request);

    void start(String id);

    /** Sends a signal to the init, or with {@code all} to every process of the container. */
    void kill(String id, int signal, boolean all);

    /** Removes the container; with {@code force} it kills its processes first. */
    void delete(String id, boolean force);

    RuntimeState state(String id);

    /**
     * Starts one more process in the container and returns its host pid.
     *
     * @param processJson a runtime-spec {@code process} object, as containerd's ExecProcess request carries it
     */
    int exec(String id, String processJson, ExecRequest request);

    void pause(String id);

    void resume(String id);

    /** The host pids of every process in the container. */
    List<Integer> ps(String id);

    /** @param resourcesJson a runtime-spec {@code linux.resources} object */
    void update(String id, String resourcesJson);

    Stats stats(String id);
}
