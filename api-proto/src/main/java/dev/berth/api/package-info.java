/** The API between Berth's processes: containerd's v1 gRPC services, the shim's task service and ttrpc. */
package dev.berth.api;
