/**
 * berthd's acceptance suites, each an abstract contract proven first against the reference daemon:
 * {@link dev.berth.it.manager.CtrAcceptanceContract} drives Debian's {@code ctr} against a daemon's socket and pulls
 * from a local registry; {@link dev.berth.it.manager.CtrAgainstContainerdTest} runs it against a private containerd
 * 1.6. berthd joins by a subclass that starts berthd in its {@code @BeforeAll} and supplies its address.
 */
package dev.berth.it.manager;
