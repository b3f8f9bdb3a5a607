package dev.berth.shim.process;

import com.google.protobuf.Message;

/**
 * Where the shim's task events go, in the order they are published: containerd's events service (topics as in
 * containerd's {@code runtime/events.go}: {@code /tasks/create}, {@code /tasks/start}, {@code /tasks/exit}, …).
 */
public interface EventSink {
    String TASK_CREATE = "/tasks/create";
    String TASK_START = "/tasks/start";
    String TASK_EXIT = "/tasks/exit";
    String TASK_DELETE = "/tasks/delete";
    String TASK_EXEC_ADDED = "/tasks/exec-added";
    String TASK_EXEC_STARTED = "/tasks/exec-started";
    String TASK_PAUSED = "/tasks/paused";
    String TASK_RESUMED = "/tasks/resumed";
    String TASK_OOM = "/tasks/oom";

    /** Queues an event for delivery; never blocks on the receiver. */
    void publish(String topic, Message event);
}
