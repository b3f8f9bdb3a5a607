package dev.berth.runtime.process;

import dev.berth.sys.FdSyscalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The runtime's end of the sync socket to berth-init: {@code u32 type, u32 length, payload}, little-endian.
 *
 * <pre>
 *   runtime                      berth-init
 *   sendPlan(plan)        ──▶    P runs its steps, clones C
 *   awaitMessage(): Pid   ◀──    P
 *   awaitMessage(): Hooks ◀──    C (mounts done)
 *   sendHooksDone(state)  ──▶    C runs createContainer hooks, pivots, …
 *   awaitMessage(): Ready ◀──    C
 *   awaitMessage(): Eof   ◀──    C exec'd (exec) — or Error if the execve failed
 * </pre>
 */
final class SyncChannel implements AutoCloseable {
    private static final int MAX_PAYLOAD = 1 << 20;

    private final FdSyscalls sys;
    private final int fd;
    private boolean closed;

    SyncChannel(FdSyscalls sys, int fd) {
        this.sys = sys;
        this.fd = fd;
    }

    void sendPlan(byte[] plan) {
        send(SyncMessage.PLAN, plan);
    }

    void sendHooksDone(byte[] state) {
        send(SyncMessage.HOOKS_DONE, state);
    }

    private void send(int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(payload.length).put(payload);
        sys.writeFully(fd, b.array());
    }

    /** Blocks for the next message from berth-init. */
    SyncMessage awaitMessage() {
        byte[] header = new byte[8];
        if (!readFully(header)) {
            return new SyncMessage.Eof();
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int type = h.getInt();
        int length = h.getInt();
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new InitException("read sync message: bad length " + length);
        }
        byte[] payload = new byte[length];
        if (!readFully(payload)) {
            throw new InitException("read sync message: truncated");
        }
        return decode(type, payload);
    }

    /** One message from its type and payload: those of the sync socket, and the ERROR that exec.fifo may carry. */
    static SyncMessage decode(int type, byte[] payload) {
        int length = payload.length;
        if (type == SyncMessage.ERROR && length < 4) {
            throw new InitException("read sync message: error of " + length + " bytes");
        }
        ByteBuffer p = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        return switch (type) {
            case SyncMessage.PID -> new SyncMessage.Pid(p.getInt());
            case SyncMessage.HOOKS -> new SyncMessage.Hooks();
            case SyncMessage.READY -> new SyncMessage.Ready();
            case SyncMessage.ERROR -> new SyncMessage.Error(p.getInt(),
                    new String(payload, 4, length - 4, StandardCharsets.UTF_8));
            default -> throw new InitException("read sync message: unknown type " + type);
        };
    }

    private boolean readFully(byte[] buf) {
        int off = 0;
        while (off < buf.length) {
            int n = sys.read(fd, buf, off, buf.length - off);
            if (n == 0) {
                if (off == 0) {
                    return false;
                }
                throw new InitException("read sync message: truncated");
            }
            off += n;
        }
        return true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            sys.close(fd);
        }
    }
}
