package dev.berth.manager.service.content;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.errdefs.GrpcErrors;
import dev.berth.api.services.content.v1.WriteAction;
import dev.berth.api.services.content.v1.WriteContentRequest;
import dev.berth.api.services.content.v1.WriteContentResponse;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Digest;
import dev.berth.manager.content.IngestStatus;
import dev.berth.manager.service.Protos;
import io.grpc.stub.StreamObserver;
import java.io.IOException;

/**
 * One {@code Content.Write} stream, as containerd's content server runs it: the first message names the ref and
 * opens (locks) its ingest; each message may stat, write at the current offset (offset 0 with data on a started
 * ingest restarts it) or commit; every message is answered with the offset, and the stream ends after a commit.
 * A digest that is already present answers ALREADY_EXISTS, which clients treat as success.
 */
final class WriteSession implements StreamObserver<WriteContentRequest> {

    private final ContentStore store;
    private final StreamObserver<WriteContentResponse> response;
    private ContentWriter writer;
    private long total;
    private Digest expected;
    private boolean done;

    WriteSession(ContentStore store, StreamObserver<WriteContentResponse> response) {
        this.store = store;
        this.response = response;
    }

    @Override
    public void onNext(WriteContentRequest req) {
        if (done) {
            return;
        }
        try {
            if (writer == null) {
                open(req);
            }
            WriteContentResponse msg = handle(req);
            response.onNext(msg);
            if (req.getAction() == WriteAction.COMMIT) {
                finish();
                response.onCompleted();
            }
        } catch (IOException | RuntimeException e) {
            finish();
            response.onError(GrpcErrors.toStatusException(e));
        }
    }

    private void open(WriteContentRequest req) throws IOException {
        if (req.getRef().isEmpty()) {
            throw BerthException.invalidArgument("content write: first message must have a reference");
        }
        total = req.getTotal();
        expected = req.getExpected().isEmpty() ? null : ContentService.digest("content write " + req.getRef(),
                req.getExpected());
        writer = store.writer(req.getRef(), total, expected);
    }

    private WriteContentResponse handle(WriteContentRequest req) throws IOException {
        String ref = writer.status().ref();
        if (!req.getExpected().isEmpty()) {
            expected = ContentService.digest("content write " + ref, req.getExpected());
            if (exists(expected)) {
                writer.close();
                writer = null;
                abortIfPresent(ref);
                throw BerthException.alreadyExists("content write " + ref + ": blob with expected digest "
                        + expected + " exists");
            }
        }
        if (req.getTotal() > 0) {
            total = req.getTotal();
        }
        IngestStatus status = writer.status();
        WriteContentResponse.Builder msg = WriteContentResponse.newBuilder()
                .setAction(req.getAction())
                .setOffset(status.offset());
        switch (req.getAction()) {
            case STAT -> msg.setDigest(writer.digest().toString())
                    .setStartedAt(Protos.timestamp(status.startedAt()))
                    .setUpdatedAt(Protos.timestamp(status.updatedAt()))
                    .setTotal(total);
            case WRITE, COMMIT -> {
                long offset = status.offset();
                if (req.getOffset() > 0 && req.getOffset() != offset) {
                    throw new BerthException(ErrorKind.INVALID_ARGUMENT, "content write " + ref + ": write @"
                            + req.getOffset() + " must occur at current offset " + offset);
                }
                if (req.getOffset() == 0 && offset > 0) {
                    writer.truncate(0);
                    offset = 0;
                }
                if (!req.getData().isEmpty()) {
                    writer.write(req.getData().asReadOnlyByteBuffer());
                    offset += req.getData().size();
                }
                if (req.getAction() == WriteAction.COMMIT) {
                    writer.commit(total, expected, req.getLabelsMap());
                }
                msg.setOffset(offset).setDigest(writer.digest().toString());
            }
            default -> throw BerthException.invalidArgument("content write " + ref + ": unknown action "
                    + req.getActionValue());
        }
        return msg.build();
    }

    /**
     * Drops the ingest of a blob that turned out to be present. An ingest already gone (another writer of the ref
     * committed it) or taken over by another writer is not this writer's any more, so the answer stays
     * ALREADY_EXISTS, as containerd's server only logs a failed abort there.
     */
    private void abortIfPresent(String ref) throws IOException {
        try {
            store.abort(ref);
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND && e.kind() != ErrorKind.UNAVAILABLE) {
                throw e;
            }
        }
    }

    private boolean exists(Digest d) throws IOException {
        try {
            store.info(d);
            return true;
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void onError(Throwable t) {
        finish();
    }

    @Override
    public void onCompleted() {
        if (!done) {
            finish();
            response.onCompleted();
        }
    }

    /** Releases the ingest's lock; an uncommitted ingest stays resumable by its ref. */
    private void finish() {
        done = true;
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                // the lock goes with the writer; the data already written stays on disk for a resume
            }
            writer = null;
        }
    }
}
