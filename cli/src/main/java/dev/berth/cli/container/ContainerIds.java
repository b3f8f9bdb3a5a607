package dev.berth.cli.container;

import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.containers.v1.GetContainerRequest;
import dev.berth.api.services.containers.v1.ListContainersRequest;
import dev.berth.cli.client.Berth;
import dev.berth.cli.client.CliException;
import dev.berth.cli.client.DaemonErrors;
import io.grpc.StatusRuntimeException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Container names: {@code --name} or a docker-like 12-hex id, which is also the containerd container ID; a user
 * may name a container by its full id or by a unique prefix of it, as with docker.
 */
public final class ContainerIds {
    private ContainerIds() {
    }

    /** A new random id: 12 lowercase hex digits, docker's short form. */
    public static String generate() {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The container {@code ref} names; "No such container" when none or when a prefix is ambiguous. */
    public static Container resolve(Berth berth, String ref) {
        try {
            return berth.containers().get(GetContainerRequest.newBuilder().setId(ref).build()).getContainer();
        } catch (StatusRuntimeException e) {
            if (!DaemonErrors.isNotFound(e) && !isInvalid(e)) {
                throw e;
            }
        }
        List<Container> matches = berth.listContainers(ListContainersRequest.getDefaultInstance()).stream()
                .filter(c -> c.getId().startsWith(ref)).toList();
        if (matches.size() != 1 || ref.isEmpty()) {
            throw CliException.noSuchContainer(ref);
        }
        return matches.getFirst();
    }

    private static boolean isInvalid(StatusRuntimeException e) {
        return e.getStatus().getCode() == io.grpc.Status.Code.INVALID_ARGUMENT;
    }
}
