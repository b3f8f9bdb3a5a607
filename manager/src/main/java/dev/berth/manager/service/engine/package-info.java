/**
 * The gRPC adapters of {@code berth.services.engine.v1}: Containers, Volumes, System (and Images), each a thin
 * translation between the proto/JSON messages and one engine call, errors through {@code Calls}/{@code GrpcErrors}.
 */
package dev.berth.manager.service.engine;
