package dev.berth.manager.event;

/** The event topics of containerd's v1 API ({@code core/runtime/events.go} and the services' own). */
public final class Topics {
    private Topics() {}

    public static final String TASK_CREATE = "/tasks/create";
    public static final String TASK_START = "/tasks/start";
    public static final String TASK_EXIT = "/tasks/exit";
    public static final String TASK_DELETE = "/tasks/delete";
    public static final String TASK_EXEC_ADDED = "/tasks/exec-added";
    public static final String TASK_EXEC_STARTED = "/tasks/exec-started";
    public static final String TASK_PAUSED = "/tasks/paused";
    public static final String TASK_RESUMED = "/tasks/resumed";
    public static final String TASK_OOM = "/tasks/oom";
    public static final String TASK_CHECKPOINTED = "/tasks/checkpointed";

    public static final String CONTAINER_CREATE = "/containers/create";
    public static final String CONTAINER_UPDATE = "/containers/update";
    public static final String CONTAINER_DELETE = "/containers/delete";

    public static final String IMAGE_CREATE = "/images/create";
    public static final String IMAGE_UPDATE = "/images/update";
    public static final String IMAGE_DELETE = "/images/delete";

    public static final String NAMESPACE_CREATE = "/namespaces/create";
    public static final String NAMESPACE_UPDATE = "/namespaces/update";
    public static final String NAMESPACE_DELETE = "/namespaces/delete";

    public static final String CONTENT_DELETE = "/content/delete";

    public static final String SNAPSHOT_PREPARE = "/snapshot/prepare";
    public static final String SNAPSHOT_COMMIT = "/snapshot/commit";
    public static final String SNAPSHOT_REMOVE = "/snapshot/remove";
}
