/** berthd, the manager daemon speaking containerd's v1 gRPC API. */
package dev.berth.manager;
