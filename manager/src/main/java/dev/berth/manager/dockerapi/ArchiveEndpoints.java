package dev.berth.manager.dockerapi;

import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.ArchiveChunk;
import dev.berth.api.services.engine.v1.ArchivePath;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.manager.dockerapi.http.Chunks;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code /containers/{id}/archive} (docker cp): HEAD answers the path's stat in {@code X-Docker-Container-Path-Stat}
 * (base64 of docker's PathStat JSON), GET a tar of it with the same header, PUT extracts a tar into it.
 */
final class ArchiveEndpoints {

    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";
    private static final int PUT_CHUNK = 1 << 20;

    private final Stubs stubs;

    ArchiveEndpoints(Stubs stubs) {
        this.stubs = stubs;
    }

    void addTo(Router r) {
        r.add("HEAD", "/containers/{id}/archive", this::stat)
                .add("GET", "/containers/{id}/archive", this::get)
                .add("PUT", "/containers/{id}/archive", this::put);
    }

    private ArchivePath path(ApiCall c) {
        String path = c.query("path").orElseThrow(() -> ApiException.badRequest("path is required"));
        return ArchivePath.newBuilder().setId(c.param("id")).setPath(path).build();
    }

    private void stat(ApiCall c) {
        byte[] stat = stubs.containers().archiveStat(path(c)).getJson().toByteArray();
        c.reply().send(200, null, new byte[0], Map.of(STAT_HEADER, Base64.getEncoder().encodeToString(stat)));
    }

    private void get(ApiCall c) {
        Iterator<ArchiveChunk> it = stubs.containers().archiveGet(path(c));
        if (!it.hasNext()) { // the engine's refusal (no such path) comes here, before any header
            throw new ApiException(500, "archive " + c.param("id") + ": engine answered nothing");
        }
        ArchiveChunk first = it.next();
        Chunks out = c.reply().stream(200, "application/x-tar",
                Map.of(STAT_HEADER, Base64.getEncoder().encodeToString(first.getStat().toByteArray())));
        try {
            if (!out.write(first.getData().toByteArray())) {
                return;
            }
            while (it.hasNext()) {
                if (!out.write(it.next().getData().toByteArray())) {
                    return;
                }
            }
        } catch (StatusRuntimeException e) {
            out.abort(); // cut short: the tar must not look complete
            return;
        }
        out.end();
    }

    private void put(ApiCall c) {
        Completion<Empty> done = new Completion<>();
        StreamObserver<ArchiveChunk> in = stubs.containersAsync().archivePut(done);
        byte[] tar = c.body();
        int off = 0;
        do {
            int n = Math.min(PUT_CHUNK, tar.length - off);
            ArchiveChunk.Builder b = ArchiveChunk.newBuilder().setData(ByteString.copyFrom(tar, off, n));
            if (off == 0) {
                b.setTarget(path(c)).setNoOverwriteDirNonDir(c.flag("noOverwriteDirNonDir", false))
                        .setCopyUidGid(c.flag("copyUIDGID", false));
            }
            in.onNext(b.build());
            off += n;
        } while (off < tar.length && !done.isDone());
        in.onCompleted();
        done.join();
        c.status(200);
    }
}
