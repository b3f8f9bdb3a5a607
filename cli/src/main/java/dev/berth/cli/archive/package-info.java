/**
 * Tar streams for {@code berth cp}: a reader and a writer of the ustar format (PAX long names), and the local
 * file side of a copy (archive a tree under a chosen name, extract one with its top entry renamed).
 */
package dev.berth.cli.archive;
