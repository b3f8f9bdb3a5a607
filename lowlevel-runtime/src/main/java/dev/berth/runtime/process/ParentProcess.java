package dev.berth.runtime.process;

import dev.berth.sys.Errno;
import dev.berth.sys.FdSyscalls;
import dev.berth.sys.ProcessSyscalls;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runtime's side of starting a container process: spawns berth-init from a sealed copy, lets the caller put
 * it in its cgroup, sends the plan and answers berth-init at each synchronisation point (docs/init-protocol.md).
 *
 * <p>On any failure the processes it started are killed and reaped before the exception leaves; their mounts
 * vanish with their mount namespace.
 */
public final class ParentProcess {
    private static final int SIGKILL = 9;

    private final ProcessSyscalls processes;
    private final FdSyscalls sys;
    private final Path initBinary;
    private int sealedInit = -1;

    public ParentProcess(ProcessSyscalls processes, FdSyscalls sys, Path initBinary) {
        this.processes = processes;
        this.sys = sys;
        this.initBinary = initBinary;
    }

    /** The fd number berth-init finds its end of the sync socket at, after the preserved fds. */
    public static int syncFd(int preserveFds) {
        return 3 + preserveFds;
    }

    /** The fd number berth-init finds the console socket at, if there is one. */
    public static int consoleFd(int preserveFds) {
        return 4 + preserveFds;
    }

    /** What the caller does at the protocol's synchronisation points. */
    public interface Callbacks {
        /** berth-init (P) is running and has not read its plan: the moment to place it in the cgroup. */
        void onSpawned(int initPid);

        /** The container's mounts are done: run the runtime's hooks and return the state JSON for its own. */
        byte[] onHooks(int containerPid);
    }

    /**
     * How to start berth-init.
     *
     * @param stdio child fd (0, 1, 2) → parent fd; empty to inherit this process's
     * @param consoleSocketFd a connected console socket to hand over, or -1
     * @param waitForExec read on after READY until the execve happened (exec) instead of returning at READY
     */
    public record Launch(int preserveFds, Map<Integer, Integer> stdio, int consoleSocketFd, boolean waitForExec) {}

    /** Runs a plan; returns the host pid of the container process once it is ready (or has exec'd). */
    public int run(InitPlan plan, Launch launch, Callbacks callbacks) {
        int[] pair = sys.socketpair();
        int initPid = -1;
        int containerPid = -1;
        try (SyncChannel channel = new SyncChannel(sys, pair[0])) {
            try {
                Map<Integer, Integer> fds = new TreeMap<>(launch.stdio());
                fds.put(syncFd(launch.preserveFds()), pair[1]);
                if (launch.consoleSocketFd() >= 0) {
                    fds.put(consoleFd(launch.preserveFds()), launch.consoleSocketFd());
                }
                initPid = processes.spawn("/proc/self/fd/" + sealedInit(), List.of("berth-init"),
                        List.of("_BERTH_SYNC_FD=" + syncFd(launch.preserveFds())), fds);
            } finally {
                sys.close(pair[1]);
            }
            callbacks.onSpawned(initPid);
            channel.sendPlan(plan.encode());
            boolean ready = false;
            while (true) {
                SyncMessage m = channel.awaitMessage();
                // instanceof, not a pattern switch: each pattern switch spins a class at run time that the AOT cache
                // cannot keep, a few milliseconds of every CLI start
                if (m instanceof SyncMessage.Pid p) {
                    containerPid = p.pid();
                } else if (m instanceof SyncMessage.Hooks) {
                    channel.sendHooksDone(callbacks.onHooks(containerPid));
                } else if (m instanceof SyncMessage.Ready) {
                    ready = true;
                } else if (m instanceof SyncMessage.Error e) {
                    throw e.toException();
                } else if (m instanceof SyncMessage.Eof && !ready) {
                    throw new InitException("berth-init exited before the container process was ready"
                            + exitDetail(initPid));
                }
                if ((ready && !launch.waitForExec()) || m instanceof SyncMessage.Eof) {
                    break;
                }
            }
            reap(initPid);
            initPid = -1;
            return containerPid;
        } catch (RuntimeException e) {
            killAndReap(containerPid);
            killAndReap(initPid);
            throw e;
        }
    }

    private String exitDetail(int initPid) {
        return processes.waitpid(initPid, true)
                .map(s -> s.signal() != 0 ? " (killed by signal " + s.signal() + ")"
                        : " (exit status " + s.exitCode() + ")")
                .orElse("");
    }

    private void reap(int pid) {
        try {
            processes.waitpid(pid, false);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ECHILD) {
                throw e;
            }
        }
    }

    private void killAndReap(int pid) {
        if (pid <= 0) {
            return;
        }
        try {
            processes.kill(pid, SIGKILL);
        } catch (SyscallException e) {
            // already gone
        }
        reap(pid);
    }

    private synchronized int sealedInit() {
        if (sealedInit < 0) {
            try {
                sealedInit = sys.sealedCopy("berth-init", Files.readAllBytes(initBinary));
            } catch (IOException e) {
                throw new UncheckedIOException("read " + initBinary, e);
            }
        }
        return sealedInit;
    }
}
