/**
 * The Docker Engine API (1.41) as an adapter over berthd's engine and transfer services: {@code DockerApi} routes
 * docker's paths (unversioned and under {@code /v1.NN/}) to endpoint classes per resource, which translate query
 * parameters and bodies to the engine's gRPC calls over berthd's in-process channel and back (the engine's
 * documents are docker's JSON already, so most pass through), map gRPC statuses to docker's HTTP codes in one
 * place ({@code ApiException}), and write docker's stream formats: multiplexed stdout/stderr frames, hijacked
 * attach and exec, JSON progress and event lines. The HTTP mechanics are {@code dockerapi.http}'s.
 */
package dev.berth.manager.dockerapi;
