/**
 * What the manager's acceptance suites need besides a daemon and test-support's
 * {@link dev.berth.testsupport.LocalRegistry}: {@link dev.berth.it.manager.support.TestImages} and
 * {@link dev.berth.it.manager.support.EdgeImages} (deterministic OCI images over test-support's busybox layer, built
 * without network and pushed over the distribution API),
 * {@link dev.berth.it.manager.support.Ctr} (Debian's {@code ctr} bound to one address and namespace) and
 * {@link dev.berth.it.manager.support.ShimProcesses} (a test berthd's shims of one task, by command line).
 */
package dev.berth.it.manager.support;
