package dev.berth.manager.task;

import com.google.protobuf.Any;
import java.util.Optional;

/**
 * One process running in a task's container.
 *
 * @param info what the shim adds, e.g. {@code containerd.runc.v1.ProcessDetails} naming the exec id
 */
public record PidInfo(int pid, Optional<Any> info) {}
