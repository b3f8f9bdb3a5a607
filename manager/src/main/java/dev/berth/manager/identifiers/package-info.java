/**
 * containerd's identifier rule, once ({@link dev.berth.manager.identifiers.Identifiers}), as containerd keeps it in
 * {@code pkg/identifiers}: metadata validates namespaces, containers and leases with it, task the namespace and
 * container id that name a bundle directory. Depends on errdefs only.
 */
package dev.berth.manager.identifiers;
