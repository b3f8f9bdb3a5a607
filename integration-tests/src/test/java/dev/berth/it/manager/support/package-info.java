/**
 * What the manager's acceptance suites need besides a daemon: {@link dev.berth.it.manager.support.LocalRegistry}
 * (Debian's {@code docker-registry} on 127.0.0.1), {@link dev.berth.it.manager.support.TestImages} (deterministic
 * OCI images built from busybox-static without network, pushed over the distribution API) and
 * {@link dev.berth.it.manager.support.Ctr} (Debian's {@code ctr} bound to one address and namespace), and
 * {@link dev.berth.it.manager.support.ShimProcesses} (a test berthd's shims of one task, by command line).
 */
package dev.berth.it.manager.support;
