package dev.berth.manager.task;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.events.TaskExit;
import dev.berth.log.Log;
import dev.berth.manager.event.Envelope;
import dev.berth.manager.event.Subscriber;
import dev.berth.manager.event.Subscription;
import dev.berth.manager.event.Topics;
import dev.berth.manager.task.shim.ProcessExit;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps each task's last init exit from the {@code /tasks/exit} events its shim publishes, so that get and wait
 * can still answer once the shim is gone.
 */
final class ExitWatcher implements AutoCloseable {
    private static final Log LOG = Log.of(ExitWatcher.class);
    private static final String EXIT_FILTER = "topic==\"" + Topics.TASK_EXIT + "\"";

    private final Subscriber subscriber;
    private final TaskTable tasks;
    private final AtomicReference<Subscription> subscription = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean closed;

    private ExitWatcher(Subscriber subscriber, TaskTable tasks) {
        this.subscriber = subscriber;
        this.tasks = tasks;
        this.thread = Thread.ofVirtual().name("task-exits").unstarted(this::watch);
    }

    /** Subscribes to {@code /tasks/exit} on a thread of its own until {@link #close}. */
    static ExitWatcher start(Subscriber subscriber, TaskTable tasks) {
        ExitWatcher watcher = new ExitWatcher(subscriber, tasks);
        watcher.thread.start();
        return watcher;
    }

    private void watch() {
        while (!closed) {
            Subscription s = subscriber.subscribe(List.of(EXIT_FILTER));
            subscription.set(s);
            if (closed) {
                s.close();
                return;
            }
            try {
                while (true) {
                    record(s.next());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (BerthException e) {
                // one that fell behind was dropped and subscribes again (exits it missed stay unknown); CANCELLED is close
                if (e.kind() != ErrorKind.RESOURCE_EXHAUSTED) {
                    return;
                }
                LOG.warn("task exit subscription overflowed; subscribing again", e);
            }
        }
    }

    private void record(Envelope envelope) {
        try {
            TaskExit exit = TaskExit.parseFrom(envelope.event().getValue());
            if (!exit.getId().isEmpty() && !exit.getId().equals(exit.getContainerId())) {
                return; // an exec'd process
            }
            tasks.find(envelope.namespace(), exit.getContainerId()).ifPresent(task ->
                    task.exited(new ProcessExit(exit.getPid(), exit.getExitStatus(),
                            Instant.ofEpochSecond(exit.getExitedAt().getSeconds(), exit.getExitedAt().getNanos()))));
        } catch (InvalidProtocolBufferException e) {
            LOG.warn("task exit event does not decode", e, "namespace", envelope.namespace());
        }
    }

    /** Ends the subscription and its thread. Safe to call more than once. */
    @Override
    public void close() {
        closed = true;
        Subscription s = subscription.get();
        if (s != null) {
            s.close();
        }
        thread.interrupt();
    }
}
