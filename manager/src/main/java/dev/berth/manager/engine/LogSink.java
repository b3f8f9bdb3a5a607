package dev.berth.manager.engine;

import java.io.IOException;
import java.time.Instant;

/** Where a container's output lines go: docker's {@code json-file} or, with {@code --log-driver none}, nowhere. */
interface LogSink extends AutoCloseable {
    LogSink NONE = new LogSink() {
        @Override
        public void write(OutputStreamKind stream, byte[] line, Instant time) {
        }

        @Override
        public void close() {
        }
    };

    /** Records one line (or a partial line, at the end of the output or beyond docker's 16 KiB line buffer). */
    void write(OutputStreamKind stream, byte[] line, Instant time) throws IOException;

    @Override
    void close() throws IOException;
}
