package dev.berth.manager.service.transfer;

import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.pull.PullProgress;
import dev.berth.manager.image.push.PushProgress;
import dev.berth.manager.image.reference.ImageReference;
import io.grpc.stub.StreamObserver;

/**
 * Pull and push progress as {@code Progress} messages on a response stream. The puller reports from several
 * download threads at once; a stream takes one message at a time, hence the lock.
 */
final class ProgressStream implements PullProgress, PushProgress {

    private final StreamObserver<Progress> out;

    ProgressStream(StreamObserver<Progress> out) {
        this.out = out;
    }

    private void send(String id, String status, long offset, long total, String mediaType) {
        Progress p = Progress.newBuilder().setId(id).setStatus(status).setOffset(offset).setTotal(total)
                .setMediaType(mediaType).build();
        synchronized (this) {
            out.onNext(p);
        }
    }

    private void send(Descriptor d, String status, long offset) {
        send(d.digest().toString(), status, offset, d.size(), d.mediaType());
    }

    synchronized void last(Progress p) {
        out.onNext(p);
    }

    @Override
    public void resolving(ImageReference ref) {
        send(ref.toString(), "resolving", 0, 0, "");
    }

    @Override
    public void resolved(ImageReference ref, Descriptor target) {
        send(ref.toString(), "resolved", 0, 0, target.mediaType());
    }

    @Override
    public void waiting(Descriptor blob) {
        send(blob, "waiting", 0);
    }

    @Override
    public void downloading(Descriptor blob, long offset, long total) {
        send(blob.digest().toString(), "downloading", offset, total, blob.mediaType());
    }

    @Override
    public void done(Descriptor blob) {
        send(blob, "done", blob.size());
    }

    @Override
    public void exists(Descriptor blob) {
        send(blob, "exists", blob.size());
    }

    @Override
    public void extracting(Descriptor layer) {
        send(layer, "extracting", layer.size());
    }

    @Override
    public void unpacked(Descriptor layer, String chainId) {
        send(layer, "unpacked", layer.size());
    }

    @Override
    public void mounted(Descriptor blob, String fromRepository) {
        send(blob, "mounted", blob.size());
    }

    @Override
    public void uploading(Descriptor blob, long offset, long total) {
        send(blob.digest().toString(), "uploading", offset, total, blob.mediaType());
    }
}
