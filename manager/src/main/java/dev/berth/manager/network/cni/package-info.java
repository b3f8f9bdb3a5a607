/**
 * A CNI runtime (libcni's part, spec 1.0.0): {@link dev.berth.manager.network.cni.ConfList} (a network
 * configuration list), {@link dev.berth.manager.network.cni.CniPlugins} (ADD in order with {@code prevResult}
 * chained, DEL in reverse with the cached result; plugins exec'd from the plugin directories with the {@code CNI_*}
 * environment and their configuration on stdin, capability arguments in {@code runtimeConfig}) and {@link
 * dev.berth.manager.network.cni.CniCache} (libcni's {@code cniCacheV1} result files, readable by standard tools).
 * No policy: which lists run for which container is {@code manager.network}'s.
 */
package dev.berth.manager.network.cni;
