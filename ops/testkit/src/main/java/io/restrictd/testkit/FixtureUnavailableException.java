package io.restrictd.testkit;

/**
 * The fixtures asked for cannot run here (no Docker engine for the container fixtures, or an unknown
 * {@code -Drestrictd.fixtures} value). Carries no stack trace: the message says all there is, and a test
 * report shows it as one line.
 */
public final class FixtureUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FixtureUnavailableException(String message) {
        super(message, null, false, false);
    }
}
