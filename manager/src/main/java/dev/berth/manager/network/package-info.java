/**
 * berthd's networks, docker's model over the standard CNI plugins (spec 1.0.0, Debian's
 * {@code containernetworking-plugins} in {@code /usr/lib/cni}). Entry points: {@link
 * dev.berth.manager.network.Networks} (network objects), {@link dev.berth.manager.network.Sandboxes} (a container's
 * netns, endpoints and published ports) and {@link dev.berth.manager.network.NetworkReconciler} (the clean-up at
 * start). The engine ({@code manager.engine.ContainerNetworking}) names the netns path {@link
 * dev.berth.manager.network.Sandboxes#netnsPath} in the OCI spec at create, calls {@code Sandboxes.setUp} before it
 * creates each task, and {@code tearDown} after each exit (so before a restart policy's restart), on rm and after a
 * failed start; berthd reconciles at start with the engine's containers as the known ones.
 *
 * <h2>Records</h2>
 *
 * <p>Networks are not namespaced (docker's are per daemon; a bridge and its subnet are host-wide): the metadata
 * database's {@code networks} table holds docker's network document ({@link dev.berth.model.Network}) with unique
 * names; {@code network_endpoints} holds one row per (network, namespace, container) with {@code EndpointRecord}
 * (docker's EndpointSettings, the interface, the netns, the published ports). {@code bridge} (device {@code
 * berth0}, 172.17.0.0/16 or the first /16 of 172.17–172.31 the host does not route), {@code host} and
 * {@code none} always exist and cannot be removed.
 *
 * <h2>On disk</h2>
 *
 * <pre>
 * &lt;root&gt;/net.d/&lt;network&gt;.conflist          generated from the record (bridge, portmap, firewall, tuning)
 * &lt;root&gt;/cni-cache/results/&lt;net&gt;-&lt;id&gt;-&lt;if&gt;  libcni's cache (cniCacheV1): written without a result before
 *                                             ADD, with it after, before berthd uses it; removed after DEL
 * &lt;root&gt;/cni-ipam/&lt;network&gt;/&lt;ip&gt;           host-local's allocations (its dataDir)
 * &lt;state&gt;/netns/&lt;id&gt;                       a container's netns, a bind mount made by an unsharing thread
 * </pre>
 *
 * <h2>Safety</h2>
 *
 * <p>{@code ipMasq} is the network's masquerade option AND berthd's switch ({@link
 * dev.berth.manager.network.NetworkOptions#masquerade}). Once {@code ip_forward} is on, the FORWARD policy is DROP
 * and the chain {@code BERTH-FORWARD}, kept first, accepts traffic within a bridge, replies and published ports into
 * it, and traffic out of it only for masquerading networks. Published ports use CNI portmap with {@code snat}: on
 * 127.0.0.1 through its {@code route_localnet} on the bridge (no userland proxy). Plugins, {@code ip} and {@code
 * iptables} run in the calling thread's network namespace, and so do the embedded DNS's sockets
 * ({@code manager.network.dns}, started when a user network gets its first container, stopped after its last).
 */
package dev.berth.manager.network;
