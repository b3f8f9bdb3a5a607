package dev.berth.manager.engine;

/** Receives a process's output as it is read (chunks as the pipe gives them, not lines). */
@FunctionalInterface
public interface ProcessOutput {
    void chunk(OutputStreamKind stream, byte[] data);
}
