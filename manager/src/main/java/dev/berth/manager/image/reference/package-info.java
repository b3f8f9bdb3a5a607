/**
 * Image references ({@link dev.berth.manager.image.reference.ImageReference}): docker-style names, normalized as
 * docker and containerd's clients do. Its own package, below both the registry client and the image flows, as
 * containerd's {@code reference/docker}.
 */
package dev.berth.manager.image.reference;
