package dev.berth.testsupport;

/** One image layer: the compressed blob as pushed, and the digest of its uncompressed tar (the config's diff_id). */
public record Layer(Descriptor blob, String diffId) {}
