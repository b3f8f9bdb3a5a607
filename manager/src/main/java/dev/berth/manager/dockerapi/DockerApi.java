package dev.berth.manager.dockerapi;

import dev.berth.log.Log;
import dev.berth.manager.dockerapi.http.Handler;
import dev.berth.manager.dockerapi.http.HttpServer;
import dev.berth.manager.dockerapi.http.Reply;
import dev.berth.manager.dockerapi.http.Request;
import dev.berth.model.DockerJson;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Docker Engine API (1.41, docker 20.10's) on a unix socket: every route of docker's that Berth serves,
 * unversioned and under {@code /v1.NN/}, each translated to a call of berthd's engine or transfer service over
 * {@code channel} in one namespace. A request whose client goes away has its engine call cancelled.
 */
public final class DockerApi implements Handler, AutoCloseable {

    /** The API version served; newer clients negotiate down to it through {@code /_ping}. */
    static final String API_VERSION = "1.41";
    static final String MIN_API_VERSION = "1.12";
    /** What {@code /version} calls the engine: docker's version scheme, so clients comparing versions accept it. */
    static final String ENGINE_VERSION = "20.10.24-berth";
    /** Request bodies other than uploads (JSON documents) are read whole up to this size. */
    static final int MAX_BODY = 64 << 20;
    private static final Log LOG = Log.of(DockerApi.class);

    private final Router router;
    private HttpServer server;

    DockerApi(Stubs stubs, SystemFacts facts) {
        this.router = new Router();
        new SystemEndpoints(stubs, facts).addTo(router);
        new ContainerEndpoints(stubs).addTo(router);
        new ImageEndpoints(stubs).addTo(router);
        new BuildEndpoints(stubs).addTo(router);
        new VolumeEndpoints(stubs).addTo(router);
        new NetworkEndpoints(stubs).addTo(router);
    }

    /** Serves the API on {@code socket} (which must not exist; mode 0660) over berthd's {@code channel}. */
    public static DockerApi serve(Path socket, Channel channel, String namespace, SystemFacts facts)
            throws IOException {
        DockerApi api = new DockerApi(new Stubs(channel, namespace), facts);
        api.server = HttpServer.start(socket, api, Map.of("Api-Version", API_VERSION, "Docker-Experimental", "false",
                "Ostype", "linux", "Server", "Docker/" + ENGINE_VERSION + " (linux)"), MAX_BODY);
        return api;
    }

    @Override
    public void handle(Request request, Reply reply) {
        Router.Versioned v = Router.stripVersion(request.path());
        Context.CancellableContext ctx = Context.current().withCancellation();
        reply.onClose(() -> ctx.cancel(null));
        try {
            ctx.run(() -> dispatch(request, reply, v));
        } catch (ApiException e) {
            refuse(reply, e.status(), e.getMessage());
        } catch (StatusRuntimeException e) {
            ApiException a = ApiException.of(e);
            if (a.status() == 500) {
                LOG.warn("docker api call failed", e, "method", request.method(), "path", request.path());
            }
            refuse(reply, a.status(), a.getMessage());
        } finally {
            ctx.cancel(null);
        }
    }

    /** The routes added with {@link Router#addStreamed} get their bodies as they arrive (any version prefix). */
    @Override
    public boolean streamsBody(String method, String path) {
        return router.route(method, Router.stripVersion(path).path()).map(Router.Match::streamed).orElse(false);
    }

    private void dispatch(Request request, Reply reply, Router.Versioned v) {
        if (v.version().isPresent()) {
            int[] ver = v.version().get();
            // newer 1.x versions are served as 1.41, as podman does: clients that pin a version without
            // negotiating (docker-java under Testcontainers 2 asks for 1.44) keep working
            if (ver[0] != 1) {
                throw ApiException.badRequest("client version " + ver[0] + "." + ver[1]
                        + " is too new. Maximum supported API version is " + API_VERSION);
            }
            if (ver[1] < 12) {
                throw ApiException.badRequest("client version " + ver[0] + "." + ver[1]
                        + " is too old. Minimum supported API version is " + MIN_API_VERSION
                        + ", please upgrade your client to a newer version");
            }
        }
        Router.Match m = router.route(request.method(), v.path())
                .orElseThrow(() -> new ApiException(404, "page not found"));
        m.endpoint().accept(new ApiCall(request, reply, m.params()));
    }

    /** docker's error body; after a started answer the error can only end the connection. */
    private static void refuse(Reply reply, int status, String message) {
        if (reply.answered()) {
            return;
        }
        reply.json(status, DockerJson.write(Map.of("message", message)));
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }
}
