package dev.berth.manager.dockerapi;

import dev.berth.api.services.engine.v1.ArchiveChunk;
import dev.berth.api.services.engine.v1.ArchivePath;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.manager.dockerapi.http.Chunks;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code /containers/{id}/archive} (docker cp): HEAD answers the path's stat in {@code X-Docker-Container-Path-Stat}
 * (base64 of docker's PathStat JSON), GET a tar of it with the same header, PUT extracts a tar into it.
 */
final class ArchiveEndpoints {

    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";

    private final Stubs stubs;

    ArchiveEndpoints(Stubs stubs) {
        this.stubs = stubs;
    }

    void addTo(Router r) {
        r.add("HEAD", "/containers/{id}/archive", this::stat)
                .add("GET", "/containers/{id}/archive", this::get)
                .addStreamed("PUT", "/containers/{id}/archive", this::put);
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

    /** The tar is passed on as it arrives; the engine extracts it once whole, so a body cut short writes nothing. */
    private void put(ApiCall c) {
        Upload<ArchiveChunk, Empty> upload = new Upload<>();
        stubs.containersAsync().archivePut(upload);
        try {
            upload.send(ArchiveChunk.newBuilder().setTarget(path(c))
                    .setNoOverwriteDirNonDir(c.flag("noOverwriteDirNonDir", false))
                    .setCopyUidGid(c.flag("copyUIDGID", false)).build());
            upload.sendBody(c.bodyStream(), data -> ArchiveChunk.newBuilder().setData(data).build());
        } catch (IOException e) {
            throw ApiException.badRequest("extract to container " + c.param("id") + ": " + e.getMessage());
        }
        upload.finish();
        c.status(200);
    }
}
