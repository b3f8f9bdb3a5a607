package dev.berth.cli;

import java.util.ResourceBundle;

/**
 * The JDK's {@code System.Logger}s of the CLI, which log nothing: a CLI shows only its own one-line errors. Named in
 * berth-cli.jar's {@code META-INF/services}, first on the class path, so that the JDK's look-up of a logger finder
 * (made when anything first uses {@code java.util.logging}, as grpc-api's {@code Metadata} and protobuf's
 * {@code RuntimeVersion} do in their static initialisers) ends in the first jar: without a provider it opened every
 * jar of the class path to find none (10-15 ms of {@code berth version}).
 */
public final class QuietLoggerFinder extends System.LoggerFinder {
    private static final System.Logger QUIET = new Quiet();

    @Override
    public System.Logger getLogger(String name, Module module) {
        return QUIET;
    }

    /** A logger for which no level is loggable. */
    private static final class Quiet implements System.Logger {
        @Override
        public String getName() {
            return "berth";
        }

        @Override
        public boolean isLoggable(Level level) {
            return false;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        }
    }
}
