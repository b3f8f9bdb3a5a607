package dev.berth.manager.image.registry;

import java.io.IOException;

/** Checks a registry's credentials the way {@code docker login} does; nothing is stored. */
@FunctionalInterface
public interface RegistryLogin {

    /**
     * Sends {@code GET /v2/} to {@code serverAddress} ({@code host[:port]}, or a URL such as
     * {@code https://index.docker.io/v1/}; empty for Docker Hub) with {@code credentials}: Basic when the registry
     * asks for it, a token from the realm when it names one. UNAUTHENTICATED when the registry or its token
     * server refuses them.
     */
    void login(String serverAddress, Credentials credentials) throws IOException;
}
