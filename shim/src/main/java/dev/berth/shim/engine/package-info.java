/**
 * The shim's typed client of an OCI runtime: {@link dev.berth.shim.engine.RuntimeEngine}, implemented in-process
 * over Berth's runtime library ({@link dev.berth.shim.engine.InProcessEngine}) and over any runc-compatible binary
 * ({@link dev.berth.shim.engine.CliEngine}). The only code that builds a runtime's argv or parses its JSON.
 *
 * <p>That JSON (runc's state, ps, stats and log records) is read with the runtime library's
 * {@link dev.berth.runtime.spec.Json}, not Jackson: the in-process engine's spec model is built on it anyway, and a
 * second JSON library would cost the shim's start what {@code dev.berth.runtime.spec}'s documentation measures.
 */
package dev.berth.shim.engine;
