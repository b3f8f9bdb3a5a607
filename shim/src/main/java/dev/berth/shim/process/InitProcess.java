package dev.berth.shim.process;

import dev.berth.api.events.TaskPaused;
import dev.berth.api.events.TaskResumed;
import dev.berth.api.events.TaskStart;
import dev.berth.shim.engine.EngineException;
import dev.berth.shim.engine.RuntimeEngine;

/** The container's first process: created by the runtime, started, paused and resumed, killed through it. */
public final class InitProcess extends ShimProcess {
    private final RuntimeEngine engine;

    InitProcess(String containerId, ProcessStdio stdio, EventSink events, RuntimeEngine engine) {
        super(containerId, containerId, stdio, events);
        this.engine = engine;
    }

    @Override
    void launch() {
        engine.start(containerId);
    }

    @Override
    void publishStarted(int pid) {
        events.publish(EventSink.TASK_START, TaskStart.newBuilder().setContainerId(containerId).setPid(pid).build());
    }

    /** Signals the init, or with {@code all} every process of the container. */
    public void kill(int signal, boolean all) {
        if (!status().canKill() && !all) {
            throw new EngineException(EngineException.Kind.NOT_FOUND, "kill " + name() + ": process already finished");
        }
        engine.kill(containerId, signal, all);
    }

    public void pause() {
        synchronized (this) {
            if (!status().canPause()) {
                throw status().illegal("pause", name());
            }
        }
        engine.pause(containerId);
        transition("pause", status() == ProcessStatus.RUNNING, ProcessStatus.PAUSED);
        events.publish(EventSink.TASK_PAUSED, TaskPaused.newBuilder().setContainerId(containerId).build());
    }

    public void resume() {
        synchronized (this) {
            if (!status().canResume()) {
                throw status().illegal("resume", name());
            }
        }
        engine.resume(containerId);
        transition("resume", status() == ProcessStatus.PAUSED, ProcessStatus.RUNNING);
        events.publish(EventSink.TASK_RESUMED, TaskResumed.newBuilder().setContainerId(containerId).build());
    }
}
