package dev.berth.manager.content;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A validated OCI content digest, {@code algorithm:encoded} (OCI image spec, "Digests"); sha256 and sha512.
 */
public record Digest(String algorithm, String encoded) {

    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        Pattern p = switch (algorithm) {
            case "sha256" -> SHA256;
            case "sha512" -> SHA512;
            default -> throw new IllegalArgumentException("digest " + algorithm + ":" + encoded + ": unsupported algorithm");
        };
        if (!p.matcher(encoded).matches()) {
            throw new IllegalArgumentException("digest " + algorithm + ":" + encoded + ": invalid encoding");
        }
    }

    /** Parses {@code sha256:<64 hex>}; throws IllegalArgumentException naming the input otherwise. */
    public static Digest parse(String s) {
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("digest " + s + ": invalid format");
        }
        return new Digest(s.substring(0, colon), s.substring(colon + 1));
    }

    /** The sha256 digest of finished hash bytes. */
    public static Digest sha256(byte[] hash) {
        return new Digest("sha256", HexFormat.of().formatHex(hash));
    }

    /** The JDK MessageDigest name of this algorithm. */
    public String jdkAlgorithm() {
        return algorithm.equals("sha256") ? "SHA-256" : "SHA-512";
    }

    @Override
    public String toString() {
        return algorithm + ":" + encoded;
    }
}
