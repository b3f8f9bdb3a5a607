/**
 * The shim's typed client of an OCI runtime: {@link dev.berth.shim.engine.RuntimeEngine}, implemented in-process
 * over Berth's runtime library ({@link dev.berth.shim.engine.InProcessEngine}) and over any runc-compatible binary
 * ({@link dev.berth.shim.engine.CliEngine}). The only code that builds a runtime's argv or parses its JSON.
 */
package dev.berth.shim.engine;
