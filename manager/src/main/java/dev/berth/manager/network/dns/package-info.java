/**
 * The embedded DNS of user-defined networks (docker's embedded DNS, podman's aardvark-dns): {@link
 * dev.berth.manager.network.dns.EmbeddedDns} keeps one {@link dev.berth.manager.network.dns.DnsResponder} per
 * network, bound to the network's gateway on UDP and TCP port 53 in berthd's network namespace, answering A queries
 * for the container names, aliases and short ids {@link dev.berth.manager.network.dns.DnsNames} holds for that
 * network. Other names are forwarded to the host's resolv.conf nameservers (loopback ones left out) only when
 * berthd's upstream switch is on; otherwise they are NXDOMAIN and nothing leaves the machine. dnsjava reads and
 * writes the wire format. The default {@code bridge} network has no embedded DNS, as on docker.
 */
package dev.berth.manager.network.dns;
