package dev.berth.client;

import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.OutputChunk;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * An attached stream of a container or an exec process (the engine's Attach and ExecStart): its output as it
 * comes, and its stdin. The output ends when the process's streams close; an exec's last message carries its exit
 * code. Thread-safe for one reader ({@link #next()} or {@link #copyTo}) and one stdin writer.
 */
public final class Attachment implements AutoCloseable {
    /** The end of the output (a queue cannot hold null). */
    private static final Object END = new Object();

    private final BlockingQueue<Object> output = new LinkedBlockingQueue<>();
    private final StreamObserver<?> requests;
    private final Function<byte[], Object> stdinMessage;
    private final Object closeStdinMessage;
    private volatile OptionalInt exitCode = OptionalInt.empty();
    private volatile boolean detached;
    private volatile ClientCallStreamObserver<?> call;
    /** Opened by the engine's {@code attached} message, or by the end of the stream. */
    private final java.util.concurrent.CountDownLatch inPlace = new java.util.concurrent.CountDownLatch(1);
    private boolean ended;

    private <I> Attachment(Function<StreamObserver<OutputChunk>, StreamObserver<I>> open, I first,
                           Function<byte[], I> stdin, I closeStdin) {
        this.stdinMessage = stdin::apply;
        this.closeStdinMessage = closeStdin;
        StreamObserver<I> requestObserver = Calls.call(() -> open.apply(new Responses()));
        this.requests = requestObserver;
        requestObserver.onNext(first);
    }

    /** Opens the bidirectional call and sends its first message. */
    static <I> Attachment open(Function<StreamObserver<OutputChunk>, StreamObserver<I>> open, I first,
                               Function<byte[], I> stdin, I closeStdin) {
        return new Attachment(open, first, stdin, closeStdin);
    }

    /**
     * Waits until the engine says the attach is in place (or the stream ended, whose error {@link #next} then
     * throws): a container started after this returns cannot write output the attachment misses.
     */
    Attachment awaitInPlace() {
        try {
            inPlace.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("attach: interrupted while waiting for the engine", e);
        }
        return this;
    }

    /** The next piece of output; empty when the output ended. A failed stream throws {@link DaemonException}. */
    public java.util.Optional<Output> next() throws InterruptedException {
        if (ended) {
            return java.util.Optional.empty();
        }
        Object o = output.take();
        if (o == END) {
            ended = true;
            return java.util.Optional.empty();
        }
        if (o instanceof StatusRuntimeException e) {
            ended = true;
            throw DaemonException.of(e);
        }
        if (o instanceof RuntimeException e) {
            ended = true;
            throw e;
        }
        return java.util.Optional.of((Output) o);
    }

    /** Copies the output to {@code stdout} and {@code stderr} until it ends; the exit code, if the stream told. */
    public OptionalInt copyTo(OutputStream stdout, OutputStream stderr) throws InterruptedException {
        try {
            for (var o = next(); o.isPresent(); o = next()) {
                OutputStream to = o.get().source() == Output.Source.STDERR ? stderr : stdout;
                to.write(o.get().data());
                to.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("write attached output", e);
        }
        return exitCode;
    }

    /** The exit code the stream's last message carried (exec; attach when the engine reports it). */
    public OptionalInt exitCode() {
        return exitCode;
    }

    /**
     * Whether the engine ended the stream because it read the detach keys on stdin (docker's ctrl-p,ctrl-q on a
     * terminal): the process runs on. Known once the output ended.
     */
    public boolean detached() {
        return detached;
    }

    /** Sends {@code data} to the process's stdin. */
    public void write(byte[] data) {
        send(stdinMessage.apply(data));
    }

    /** Half-closes the process's stdin: it reads end-of-file. */
    public void closeStdin() {
        send(closeStdinMessage);
    }

    /**
     * Copies {@code in} to the process's stdin on a daemon thread, then closes the stdin: for {@code -i}.
     * {@code in} ending closes the process's stdin, as docker's attach does.
     */
    public Thread sendStdin(InputStream in) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    if (n > 0) {
                        write(java.util.Arrays.copyOf(buf, n));
                    }
                }
                closeStdin();
            } catch (IOException | IllegalStateException e) {
                // the process or the call ended: nothing more to send
            }
        }, "berth-stdin");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @SuppressWarnings("unchecked")
    private synchronized void send(Object message) {
        ((StreamObserver<Object>) requests).onNext(message);
    }

    /** Cancels the call if it is still open (detaching; the process keeps running). */
    @Override
    public void close() {
        ClientCallStreamObserver<?> c = call;
        if (c != null && !ended) {
            c.cancel("client detached", null);
        }
    }

    private final class Responses implements ClientResponseObserver<Object, OutputChunk> {
        @Override
        public void beforeStart(ClientCallStreamObserver<Object> requestStream) {
            call = requestStream;
        }

        @Override
        public void onNext(OutputChunk chunk) {
            if (chunk.getAttached()) {
                inPlace.countDown();
            }
            if (chunk.getExited()) {
                exitCode = OptionalInt.of(chunk.getExitCode());
            }
            if (chunk.getDetached()) {
                detached = true;
            }
            if (!chunk.getData().isEmpty()) {
                output.add(Output.of(chunk));
            }
        }

        @Override
        public void onError(Throwable t) {
            output.add(t instanceof RuntimeException r ? r : new IllegalStateException(t));
            inPlace.countDown();
        }

        @Override
        public void onCompleted() {
            output.add(END);
            inPlace.countDown();
            synchronized (Attachment.this) {
                try {
                    requests.onCompleted();
                } catch (IllegalStateException e) {
                    // already completed or cancelled
                }
            }
        }
    }

    static ByteString bytes(byte[] data) {
        return ByteString.copyFrom(data);
    }
}
