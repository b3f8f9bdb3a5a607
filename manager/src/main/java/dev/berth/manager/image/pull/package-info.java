/**
 * Pulling an image from its registry ({@link dev.berth.manager.image.pull.ImagePuller}, containerd's client
 * {@code Pull} with unpack). {@code BlobDownloader} fetches blobs into the content store (stable ingest refs,
 * resumed with Range, verified at commit); {@code LayerDownloads} runs the layer downloads in parallel, is the
 * {@link dev.berth.manager.image.LayerSource} of the {@link dev.berth.manager.image.Unpacker} (each layer it applies is read from
 * its ingest as the download writes it, so every layer unpacks while it downloads), and keeps the pull's first
 * failure. Progress is reported through {@link dev.berth.manager.image.pull.PullProgress}.
 */
package dev.berth.manager.image.pull;
