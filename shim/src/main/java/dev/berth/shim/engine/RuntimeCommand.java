package dev.berth.shim.engine;

import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of the runtime binary through {@code posix_spawn}, waited for with {@link Syscalls#waitpid} (which the
 * shim routes through its reaper): either with the container's stdio as its own (create, exec: the runtime hands
 * them on) or with stdin from bytes and stdout and stderr captured together, as go-runc's {@code cmdOutput}.
 */
final class RuntimeCommand {
    /** How the run ended; {@code output} is empty when it was not captured. */
    record Result(int status, String output) {}

    private final Syscalls sys;
    private final List<String> env;

    RuntimeCommand(Syscalls sys, Map<String, String> environment) {
        this.sys = sys;
        // NOTIFY_SOCKET makes runc talk to systemd: only for runc started by systemd (go-runc filters it too)
        List<String> e = new ArrayList<>();
        environment.forEach((k, v) -> {
            if (!k.equals("NOTIFY_SOCKET")) {
                e.add(k + "=" + v);
            }
        });
        this.env = List.copyOf(e);
    }

    /** Runs with the given fds as 0, 1 and 2; nothing is captured. */
    Result run(List<String> argv, Map<Integer, Integer> stdio) {
        int pid = sys.spawn(argv.getFirst(), argv, env, stdio);
        return new Result(sys.waitpid(pid, false).orElseThrow().shellStatus(), "");
    }

    /** Runs with {@code stdin} (may be empty) on fd 0 and returns what it wrote on fds 1 and 2. */
    Result capture(List<String> argv, byte[] stdin) {
        int[] in = sys.pipe();
        int[] out;
        try {
            out = sys.pipe();
        } catch (SyscallException e) {
            sys.close(in[0]);
            sys.close(in[1]);
            throw e;
        }
        int pid;
        try {
            Map<Integer, Integer> fds = new HashMap<>();
            fds.put(0, in[0]);
            fds.put(1, out[1]);
            fds.put(2, out[1]);
            pid = sys.spawn(argv.getFirst(), argv, env, fds);
        } catch (SyscallException e) {
            sys.close(in[1]);
            sys.close(out[0]);
            throw e;
        } finally {
            sys.close(in[0]);
            sys.close(out[1]);
        }
        try {
            // small documents (update's resources) fit in the pipe, so writing before reading cannot block
            sys.writeFully(in[1], stdin);
        } catch (SyscallException e) {
            // the runtime need not read its stdin
        } finally {
            sys.close(in[1]);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            byte[] buf = new byte[8192];
            int n;
            while ((n = sys.read(out[0], buf, 0, buf.length)) > 0) {
                output.write(buf, 0, n);
            }
        } finally {
            sys.close(out[0]);
        }
        int status = sys.waitpid(pid, false).orElseThrow().shellStatus();
        return new Result(status, output.toString(StandardCharsets.UTF_8));
    }
}
