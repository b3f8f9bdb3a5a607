/**
 * Soak tests: many containers through one berthd, which must leave it as they found it (open fds, threads, RSS).
 * They drive berthd only, so the suite runs them once (the default execution, against runc), not again in the
 * runtime-under-test execution (integration-tests/pom.xml).
 */
package dev.berth.it.soak;
