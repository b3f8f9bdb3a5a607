/**
 * gRPC over HTTP/2 without TLS on a unix socket, client side, for short-lived clients such as the berth CLI:
 * {@link dev.berth.client.transport.UnixChannel} is a {@code ManagedChannel} the generated stubs use as they use
 * grpc-java's, built on the JDK's unix sockets, an HTTP/2 connection (RFC 9113: frames, settings, flow control,
 * GOAWAY) and HPACK (RFC 7541, with the Huffman code). It replaces grpc-netty where start-up time counts: with the
 * CLI's AOT cache a {@code berth version} spent about 150 ms setting up grpc-core and Netty before its first frame.
 */
package dev.berth.client.transport;
