/** Capabilities, rlimits, personality and seccomp: the spec's names resolved into what the kernel takes. */
package dev.berth.runtime.security;
