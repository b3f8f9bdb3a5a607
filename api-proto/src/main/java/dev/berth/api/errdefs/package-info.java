/**
 * Error kinds ({@link dev.berth.api.errdefs.ErrorKind}) and the one mapping between them and the status codes that
 * gRPC and ttrpc carry ({@link dev.berth.api.errdefs.Code}). Domain code throws
 * {@link dev.berth.api.errdefs.BerthException} with a kind; transports translate only here (gRPC:
 * {@link dev.berth.api.errdefs.GrpcErrors}).
 */
package dev.berth.api.errdefs;
