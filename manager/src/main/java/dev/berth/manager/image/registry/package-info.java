/**
 * The OCI distribution client: {@link dev.berth.manager.image.registry.Registry} (one image's registry) and
 * {@link dev.berth.manager.image.registry.Registries} (which registry a reference names), implemented over the
 * JDK {@code HttpClient} by {@link dev.berth.manager.image.registry.RegistryHosts}, one small class per endpoint
 * ({@code ManifestFetcher}, {@code BlobFetcher}, {@code BlobUploader}, {@code ManifestUploader}) and per concern
 * ({@code RegistryEndpoint} sends, {@code Transport} retries, {@code Authenticator} and {@code TokenAuthenticator}
 * answer challenges, {@code RegistryErrors} maps answers to errors).
 *
 * <p>Configuration, a {@link dev.berth.manager.image.registry.RegistryHostsConfig}:
 * <pre>
 * dockerConfig  Optional&lt;Path&gt;              docker's config.json, read once when RegistryHosts is built:
 *                                            auths.&lt;host&gt;.auth (base64 user:password) or .username/.password;
 *                                            keys may be URLs (https://host:port/v1/); Docker Hub's is
 *                                            https://index.docker.io/v1/ (docker.io and index.docker.io work too).
 *                                            Credential helpers (credsStore, credHelpers) are not run.
 * insecure      List&lt;String&gt;               host or host:port spoken to over plain HTTP; loopback always is
 *                                            (localhost, 127.*, ::1). Everything else is HTTPS with the JDK's
 *                                            trust store.
 * mirrors       Map&lt;String, List&lt;String&gt;&gt;  registry host (as in references: docker.io, 127.0.0.1:5000) → mirrors
 *                                            tried in order for resolve and fetch, then the registry itself; a
 *                                            mirror is host[:port] (scheme by the insecure rule) or a URL with an
 *                                            optional path prefix. Pushes go to the registry only.
 * backoff       Backoff                      tries of idempotent requests after a 5xx, 429 or a broken
 *                                            connection; default 4 tries, waits 200, 400, 800 ms.
 * </pre>
 *
 * <p>Protocol notes. Requests start anonymous; a 401's {@code WWW-Authenticate} challenge is remembered per
 * endpoint: {@code Basic} is answered with the host's credentials, {@code Bearer} with a token from the realm
 * ({@code GET realm?service=…&scope=…}, Basic credentials if any), cached per scope set until {@code expires_in}.
 * Scopes are Berth's own ({@code repository:<path>:pull}; {@code pull,push} for uploads and their checks; plus
 * {@code repository:<from>:pull} for a mount), not the challenge's. A second 401 is FAILED_PRECONDITION
 * "…: authentication required". Redirects of GET and HEAD are followed (at most 5), without the Authorization
 * header when they leave the registry's host (presigned storage URLs). Blobs resume with {@code Range}; a 200 to a
 * ranged request is read past the offset, so a fetch stream always starts where asked. A blob upload is one POST
 * (retried, settles authentication) and one PUT with the whole stream (sent once: the stream cannot be replayed).
 * Docker Hub's API host is {@code registry-1.docker.io}.
 *
 * <p>A call may bring its own {@link dev.berth.manager.image.registry.Credentials} (the Docker API's
 * {@code X-Registry-Auth}): {@code Registries.forHost(ref, credentials)} then makes a client for that call alone.
 * {@link dev.berth.manager.image.registry.RegistryLogin} checks credentials as {@code docker login} does
 * ({@code GET /v2/}); a refusal is UNAUTHENTICATED.
 */
package dev.berth.manager.image.registry;
