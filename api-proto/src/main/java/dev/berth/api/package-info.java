/**
 * The API between Berth's processes: containerd's v1 gRPC services, the shim's task service and ttrpc.
 *
 * <p>Protos live under {@code src/main/proto}, laid out as containerd's {@code api/}; each keeps containerd's proto
 * package, message names and field numbers (so the wire format is containerd's) and sets a Berth Java package:
 *
 * <pre>
 *  proto file                              proto package                        Java package
 *  types/mount.proto                       containerd.types                     dev.berth.api.types
 *  types/task/task.proto                   containerd.v1.types                  dev.berth.api.types.task
 *  events/task.proto                       containerd.events                    dev.berth.api.events
 *  runtime/task/v2/shim.proto              containerd.task.v2 (service Task)    dev.berth.api.runtime.task.v2
 *  runtime/runc/options/oci.proto          containerd.runc.v1 (Options)         dev.berth.api.runtime.runc.options
 *  services/ttrpc/events/v1/events.proto   containerd.services.events.ttrpc.v1  dev.berth.api.services.ttrpc.events.v1
 *  ttrpc/request.proto                     ttrpc (Request, Response)            dev.berth.api.ttrpc
 *  google/rpc/status.proto                 google.rpc (Status)                  dev.berth.api.rpc
 * </pre>
 *
 * <p>Hand-written: {@link dev.berth.api.errdefs} (error kinds and their status codes) and {@link dev.berth.api.ttrpc}
 * (the ttrpc client and server).
 */
package dev.berth.api;
