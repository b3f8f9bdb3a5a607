/**
 * The image format: OCI image spec (index, manifest, config, descriptors, platforms) and the Docker schema 2
 * media types, read and written with Jackson. No I/O.
 */
package dev.berth.manager.image.oci;
