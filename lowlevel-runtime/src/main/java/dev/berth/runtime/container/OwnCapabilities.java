package dev.berth.runtime.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The capabilities this runtime process holds, from {@code /proc/self/status}. */
final class OwnCapabilities {
    private OwnCapabilities() {}

    static long permitted() {
        Path status = Path.of("/proc/self/status");
        String text;
        try (InputStream in = Files.newInputStream(status)) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("read " + status, e);
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("CapPrm:")) {
                return Long.parseUnsignedLong(line.substring(7).strip(), 16);
            }
        }
        throw new IllegalStateException("read " + status + ": no CapPrm line");
    }
}
