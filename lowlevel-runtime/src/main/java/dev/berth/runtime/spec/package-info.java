/** The runtime spec's documents (config.json, the state, features) as records, and a small JSON reader/writer. */
package dev.berth.runtime.spec;
