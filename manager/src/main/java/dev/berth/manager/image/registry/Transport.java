package dev.berth.manager.image.registry;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.image.registry.RegistryHostsConfig.Backoff;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends registry requests over one shared {@link HttpClient}, retrying what is safe to retry: a replayable
 * request that fails to connect, loses its connection or gets a 5xx or 429 is sent again after an exponential
 * backoff; a request whose body is a one-shot stream is sent once. Responses of any status are returned; mapping
 * them to errors is {@link RegistryErrors}'s job.
 */
final class Transport {
    private final HttpClient client;
    private final Backoff backoff;

    Transport(HttpClient client, Backoff backoff) {
        this.client = client;
        this.backoff = backoff;
    }

    /**
     * Sends {@code request} up to the backoff's attempts when {@code replayable}, else once. An I/O failure of the
     * last attempt is UNAVAILABLE naming {@code op} and the host; a 5xx of the last attempt is returned.
     */
    HttpResponse<InputStream> send(HttpRequest request, boolean replayable, String op) throws IOException {
        int attempts = replayable ? backoff.attempts() : 1;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                // A certificate the JDK does not trust will not become trusted by asking again.
                if (attempt >= attempts || e instanceof SSLHandshakeException) {
                    throw new BerthException(ErrorKind.UNAVAILABLE,
                            op + ": " + request.uri().getAuthority() + " unreachable after " + attempt
                                    + (attempt == 1 ? " attempt: " : " attempts: ") + describe(e), e);
                }
                pause(attempt);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(op + ": interrupted");
            }
            if (!retryable(response.statusCode()) || attempt >= attempts) {
                return response;
            }
            discard(response);
            pause(attempt);
        }
    }

    private static boolean retryable(int status) {
        return status >= 500 || status == 429;
    }

    private void pause(int attempt) throws InterruptedIOException {
        try {
            Thread.sleep(backoff.delayAfter(attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during backoff");
        }
    }

    /** Reads and drops a body nobody needs, so that its connection goes back to the pool. */
    static void discard(HttpResponse<InputStream> response) throws IOException {
        try (InputStream body = response.body()) {
            body.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isEmpty() ? e.getClass().getSimpleName() : message;
    }
}
