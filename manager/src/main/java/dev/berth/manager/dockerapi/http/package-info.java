/**
 * A small HTTP/1.1 server on a unix socket over Netty's HTTP codec and epoll transport: requests are handed to a
 * {@link dev.berth.manager.dockerapi.http.Handler} on a virtual thread, which answers through a
 * {@link dev.berth.manager.dockerapi.http.Reply}: a whole body, a chunked stream flushed per chunk, or a hijacked
 * raw connection (docker's {@code Upgrade: tcp} → {@code 101 UPGRADED}, or a 200 without the upgrade) with
 * half-close. Request bodies come whole, or, where the handler says so ({@code Handler.streamsBody}), as an
 * {@code InputStream} read with backpressure while the handler runs (uploads). Knows nothing of docker's routes.
 */
package dev.berth.manager.dockerapi.http;
