/**
 * ttrpc, the protocol containerd speaks to its shims: gRPC's unary calls without HTTP/2.
 *
 * <p>A connection is a unix stream socket carrying frames, each a 10-byte header and a protobuf payload:
 *
 * <pre>
 *  0               4               8       9       10
 *  +---------------+---------------+-------+-------+--------------------------+
 *  | length (u32)  | stream id     | type  | flags | payload (length bytes)   |
 *  | big-endian    | (u32, BE)     | (u8)  | (u8)  | at most 4 MiB            |
 *  +---------------+---------------+-------+-------+--------------------------+
 *  type: 1 request, 2 response, 3 data (streams; ignored by this unary implementation)
 * </pre>
 *
 * <p>A call is one exchange on one stream:
 *
 * <pre>
 *  client                                            server
 *    | -- request  (stream n, {@link dev.berth.api.ttrpc.Request}) ------&gt; |  dispatch service/method
 *    | &lt;- response (stream n, {@link dev.berth.api.ttrpc.Response}) ------ |  status (google.rpc.Status) + payload
 * </pre>
 *
 * <p>Clients number their streams with odd ids, increasing by 2; many calls run at once on one connection and
 * their responses arrive in any order. A request carries the caller's remaining time ({@code timeout_nano}) and
 * metadata (containerd puts the namespace under {@link dev.berth.api.ttrpc.Metadata#CONTAINERD_NAMESPACE}). A frame
 * longer than 4 MiB is discarded and answered with RESOURCE_EXHAUSTED on its stream. Errors travel as
 * {@code Response.status} with the codes of {@link dev.berth.api.errdefs.Code}.
 *
 * <p>Threads that carry a call: the caller writes its request frame itself (under the connection's write lock) and
 * waits; the server's reader thread starts a virtual thread for the call, whose handler writes the response; the
 * client's reader thread completes the caller's future. All are virtual threads. A platform reader per connection
 * would skip the JDK poller's wake-up on each frame, but measured with the test-scope {@code RoundTripBench} (about
 * 50 us a round trip) it sped up only platform callers (by about 1/3) and cost ~120 KB resident per connection on
 * each side, and berthd's callers are virtual threads, with a connection per container.
 *
 * <p>What reaches no caller (a connection that ended, a handler that threw) is logged through {@link
 * dev.berth.log.Log}, whose level the program's main sets.
 *
 * <p>Reference: github.com/containerd/ttrpc ({@code channel.go}, {@code server.go}, {@code PROTOCOL.md}).
 */
package dev.berth.api.ttrpc;
