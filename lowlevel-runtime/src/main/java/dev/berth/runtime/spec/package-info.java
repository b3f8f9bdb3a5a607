/**
 * The runtime spec's documents (config.json, the state, features) as records, and a small JSON reader/writer
 * ({@link dev.berth.runtime.spec.Json}).
 *
 * <p>JSON in Berth is Jackson everywhere except here. berthd and the berth CLI read and write JSON with Jackson;
 * berth-runtime keeps this reader because it is a CLI that a shim runs several times per container (create, start,
 * state, delete), so its start-up is the product. Measured on the 2-core machine under load (a fresh JVM with
 * berth-runtime's flags parsing {@code berth-runtime spec}'s 4 KB config.json, 20 runs each, each with an AOT
 * cache trained on the same run): this reader's first parse takes 1.1 ms (min; median 2.0), Jackson's
 * {@code ObjectMapper.readValue(text, Map.class)} 132 ms (min; median 278), and the whole process 77 ms against
 * 284 ms; for scale, {@code bin/berth-runtime --version} takes 81 ms (min). Jackson would also add three jars to a
 * runtime that has no dependencies. The shim uses this reader too: it runs the runtime library in-process, whose
 * spec model is built on it, and its start is on every container's start path.
 */
package dev.berth.runtime.spec;
