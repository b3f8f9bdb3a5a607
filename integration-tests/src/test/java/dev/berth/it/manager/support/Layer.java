package dev.berth.it.manager.support;

/** One image layer: the compressed blob as pushed, and the digest of its uncompressed tar (the config's diff_id). */
public record Layer(Descriptor blob, String diffId) {}
