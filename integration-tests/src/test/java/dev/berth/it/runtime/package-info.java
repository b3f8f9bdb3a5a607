/**
 * One test class per runtime-spec feature, each driving the runtime binary under test and checking the effect from
 * inside the container with busybox (the probe). The binary is {@code -Dberth.it.runtime}; the build runs the same
 * classes against Debian's runc to prove the suite itself.
 */
package dev.berth.it.runtime;
