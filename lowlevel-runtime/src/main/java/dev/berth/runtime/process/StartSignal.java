package dev.berth.runtime.process;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * What {@code start} reads from exec.fifo, up to EOF (docs/init-protocol.md, WAIT_FIFO and START_SIGNAL): {@code "0"}
 * once the startContainer hooks have run, EOF at the execve of the user process. A step that fails after WAIT_FIFO
 * (a startContainer hook, SECCOMP, EXEC) appends its ERROR message, framed as on the sync socket, and the init exits.
 * Nothing at all: the init was gone before it opened the fifo, or died without a word.
 */
public final class StartSignal {
    private static final int HEADER = 8;

    private StartSignal() {}

    /**
     * Whether the content says the container process was released and executed; an ERROR in it is thrown.
     *
     * @throws InitException the init's error, or content that is neither "0" nor an ERROR message
     */
    public static boolean released(byte[] content) {
        if (content.length == 0) {
            return false;
        }
        int from = content[0] == '0' ? 1 : 0;
        if (from == content.length) {
            return true;
        }
        if (content.length - from < HEADER) {
            throw unexpected(content);
        }
        ByteBuffer h = ByteBuffer.wrap(content, from, HEADER).order(ByteOrder.LITTLE_ENDIAN);
        int type = h.getInt();
        int length = h.getInt();
        if (type != SyncMessage.ERROR || length != content.length - from - HEADER) {
            throw unexpected(content);
        }
        SyncMessage m = SyncChannel.decode(type, Arrays.copyOfRange(content, from + HEADER, content.length));
        throw ((SyncMessage.Error) m).toException();
    }

    private static InitException unexpected(byte[] content) {
        return new InitException("read exec fifo: unexpected content of " + content.length + " bytes");
    }
}
