package dev.berth.manager.task.shim;

import java.time.Instant;

/**
 * How a process ended, as a shim reports it.
 *
 * @param exitStatus the exit code, or 128 + the signal that killed it
 */
public record ProcessExit(int pid, int exitStatus, Instant exitedAt) {}
