package dev.berth.shim.process;

import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import dev.berth.shim.engine.EngineException;
import dev.berth.shim.io.FifoWatch;
import dev.berth.shim.io.ProcessIo;
import dev.berth.shim.io.StdioException;

/** Opens and hands off a process's {@link ProcessIo}, turning its failures into INVALID_ARGUMENT naming the call. */
final class IoSetup {
    private IoSetup() {}

    static ProcessIo open(Syscalls sys, ShimProcess.ProcessStdio s, String namespace, String containerId,
                          String what) {
        return open(sys, null, s, namespace, containerId, what);
    }

    /** {@link #open}, the stdin copier starting once the FIFO has something to read ({@code stdinFifos}). */
    static ProcessIo open(Syscalls sys, FifoWatch stdinFifos, ShimProcess.ProcessStdio s, String namespace,
                          String containerId, String what) {
        try {
            return ProcessIo.open(sys, stdinFifos, new ProcessIo.Request(s.stdin(), s.stdout(), s.stderr(), s.terminal(),
                    namespace, containerId), what);
        } catch (SyscallException | StdioException e) {
            throw new EngineException(EngineException.Kind.INVALID_ARGUMENT, what + ": " + e.getMessage(), e);
        }
    }

    /** {@link ProcessIo#handOff()}; a failure is INTERNAL: the runtime created the process but gave no console. */
    static void handOff(ProcessIo io, String what) {
        try {
            io.handOff();
        } catch (SyscallException | StdioException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, what + ": " + e.getMessage(), e);
        }
    }
}
