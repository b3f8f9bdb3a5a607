package dev.berth.manager.engine;

/** A client attached to a container: the live output of its run, then the run's end. */
public interface OutputListener {
    void output(OutputStreamKind stream, byte[] data);

    /** The run ended with {@code exitCode}; the listener is dropped. */
    void ended(int exitCode);
}
