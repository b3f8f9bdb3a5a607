package dev.berth.runtime.process;

/** The five capability sets as bit masks over capability numbers. */
public record CapabilitySets(long bounding, long effective, long permitted, long inheritable, long ambient) {}
