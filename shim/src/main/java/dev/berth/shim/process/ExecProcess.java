package dev.berth.shim.process;

import dev.berth.api.events.TaskExecStarted;
import dev.berth.runtime.syscall.SyscallException;
import dev.berth.runtime.syscall.Syscalls;
import dev.berth.shim.engine.EngineException;
import dev.berth.shim.engine.ExecRequest;
import dev.berth.shim.engine.RuntimeEngine;
import dev.berth.shim.io.ProcessIo;

/** One more process in a running container, added by Exec and started by Start with its exec id. */
public final class ExecProcess extends ShimProcess {
    private final RuntimeEngine engine;
    private final Syscalls sys;
    private final Reaper reaper;
    private final String processJson;

    ExecProcess(String containerId, String execId, ProcessStdio stdio, EventSink events, RuntimeEngine engine,
                Syscalls sys, Reaper reaper, String processJson) {
        super(containerId, execId, stdio, events);
        this.engine = engine;
        this.sys = sys;
        this.reaper = reaper;
        this.processJson = processJson;
    }

    @Override
    void launch() {
        ProcessStdio s = stdio();
        try (ProcessIo io = ProcessIo.open(sys, s.stdin(), s.stdout(), s.stderr(), "exec " + name());
             Reaper.Window window = reaper.open()) {
            int pid = engine.exec(containerId, processJson, ExecRequest.of(io.stdio()));
            created(pid, window.claim(pid));
        } catch (SyscallException e) {
            throw new EngineException(EngineException.Kind.INVALID_ARGUMENT, "start " + name() + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    void publishStarted(int pid) {
        events.publish(EventSink.TASK_EXEC_STARTED, TaskExecStarted.newBuilder().setContainerId(containerId)
                .setExecId(id).setPid(pid).build());
    }

    public void kill(int signal) {
        synchronized (this) {
            if (!status().canKill() || pid() == 0) {
                throw new EngineException(EngineException.Kind.NOT_FOUND,
                        "kill " + name() + ": process already finished");
            }
            try {
                sys.kill(pid(), signal);
            } catch (SyscallException e) {
                throw new EngineException(EngineException.Kind.NOT_FOUND, "kill " + name() + ": " + e.getMessage(), e);
            }
        }
    }
}
