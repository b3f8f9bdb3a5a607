package dev.berth.sys;

/** The network namespace role: create one held by a bind mount, and move the calling thread into one. */
public interface NetnsSyscalls {

    /**
     * Creates a network namespace with its loopback up and bind-mounts it on {@code target} (an existing empty
     * file), from a native thread of its own that unshares: no thread of the caller changes namespace. Unmount {@code target} with
     * {@link MountSyscalls#unmount} to let the namespace go once no process is in it.
     */
    void createNetns(String target);

    /**
     * {@code setns(2)}: moves the calling thread (only it; a network namespace is per thread) into the network
     * namespace at {@code path}. Processes and threads it starts afterwards start there too.
     */
    void joinNetns(String path);
}
