package dev.berth.shim.process;

import dev.berth.api.events.TaskExecStarted;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import dev.berth.shim.engine.EngineException;
import dev.berth.shim.engine.ExecRequest;
import dev.berth.shim.engine.RuntimeEngine;
import dev.berth.shim.io.ProcessIo;
import java.nio.file.Path;
import java.time.Instant;

/** One more process in a running container, added by Exec and started by Start with its exec id. */
public final class ExecProcess extends ShimProcess {
    private final RuntimeEngine engine;
    private final Syscalls sys;
    private final Monitor monitor;
    private final String processJson;
    private final String namespace;
    private final Path bundle;

    ExecProcess(String containerId, String execId, ProcessStdio stdio, EventSink events, RuntimeEngine engine,
                Syscalls sys, Monitor monitor, String processJson, String namespace, Path bundle) {
        super(containerId, execId, stdio, events);
        this.engine = engine;
        this.sys = sys;
        this.monitor = monitor;
        this.processJson = processJson;
        this.namespace = namespace;
        this.bundle = bundle;
    }

    /**
     * The exec'd process an earlier server of this group started ({@link ExecFile}): running, or stopped with the
     * exit its monitor kept, reported once it comes.
     */
    static ExecProcess adopt(String containerId, ExecFile record, EventSink events, RuntimeEngine engine,
                             Syscalls sys, Monitor monitor, String namespace, Path bundle) {
        ExecProcess exec = new ExecProcess(containerId, record.execId(), record.stdio(), events, engine, sys, monitor,
                "", namespace, bundle);
        exec.adopt(record.pid(), ProcessStatus.RUNNING, monitor.claimAfter(record.pid(), record.startedAt()));
        return exec;
    }

    @Override
    void launch() {
        ProcessStdio s = stdio();
        String what = "start " + name();
        ProcessIo io = IoSetup.open(sys, s, namespace, containerId, what);
        try {
            ExecRequest request = ExecRequest.of(io.stdio()).withConsoleSocket(io.consoleSocket().orElse(null));
            Instant startedAt = Instant.now();
            int pid = engine.exec(containerId, processJson, request);
            created(pid, monitor.claim(pid));
            // the process is the monitor's child: a server that takes the container over finds it by this record
            new ExecFile(id, pid, s, startedAt).save(bundle);
            try {
                IoSetup.handOff(io, what);
            } catch (EngineException e) {
                killQuietly(pid);
                throw e;
            }
            attachIo(io);
        } catch (RuntimeException e) {
            io.close();
            throw e;
        }
    }

    private void killQuietly(int pid) {
        try {
            sys.kill(pid, 9);
        } catch (SyscallException e) {
            // already gone
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
