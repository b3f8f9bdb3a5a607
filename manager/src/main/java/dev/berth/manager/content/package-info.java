/**
 * Content-addressed blob storage: the {@link dev.berth.manager.content.ContentStore} seam, its value types and
 * {@link dev.berth.manager.content.LocalContentStore}.
 *
 * <p>On-disk layout of {@code LocalContentStore} (containerd's local store, {@code plugins/content/local}, plus a
 * labels tree of its own):
 *
 * <pre>
 * &lt;root&gt;/
 *   blobs/&lt;alg&gt;/&lt;encoded&gt;        committed blob, mode 0444, never rewritten; mtime = commit time (createdAt)
 *   labels/&lt;alg&gt;/&lt;encoded&gt;       the blob's labels as a java.util.Properties file, replaced whole by rename;
 *                                absent = no labels; mtime = last label change (updatedAt)
 *   ingest/&lt;sha256(ref)&gt;/       one unfinished write; refs hold any character, so the directory is their hash
 *       data                     the bytes received so far (offset = its size)
 *       startedat, updatedat     ISO-8601 instants; updatedat is rewritten when a writer closes
 *       total                    announced size in decimal, only if announced
 *       expected                 announced digest, only if announced
 *       ref                      the ref itself, written last: a directory without it is an interrupted create
 * </pre>
 *
 * <p>A write hashes its bytes as they arrive. Commit checks size and digest, fsyncs {@code data} and renames it
 * into {@code blobs/} (same filesystem, so the blob appears whole or not at all), then removes the ingest
 * directory. An ingest left by a crash or a closed writer is resumed by opening a writer on the same ref: the
 * data file is hashed again from its start, because a JDK {@code MessageDigest}'s state cannot be saved.
 * The metadata layer keeps namespaced labels in its database; the labels here are the store's own.
 */
package dev.berth.manager.content;
