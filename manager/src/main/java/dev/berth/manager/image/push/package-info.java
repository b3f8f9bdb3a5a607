/**
 * Pushing a local image to a registry ({@link dev.berth.manager.image.push.ImagePusher}, containerd's client
 * {@code Push}): blobs mounted from the repository their source label names, or uploaded; then the manifests and
 * the index. Progress is reported through {@link dev.berth.manager.image.push.PushProgress}.
 */
package dev.berth.manager.image.push;
