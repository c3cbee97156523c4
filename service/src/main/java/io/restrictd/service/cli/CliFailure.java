package io.restrictd.service.cli;

/**
 * A failure the CLI reports as one line on stderr and an exit code, never as a stack trace.
 * Thrown anywhere below {@link RestrictCommand}; caught once, there.
 */
public final class CliFailure extends RuntimeException {
    private final int exitCode;

    private CliFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Exit 1: nothing matched, nothing to do. */
    public static CliFailure notFound(String message) {
        return new CliFailure(ExitCodes.NOT_FOUND, message, null);
    }

    /** Exit 2: bad arguments, bad input file, bad configuration. */
    public static CliFailure usage(String message) {
        return new CliFailure(ExitCodes.USAGE, message, null);
    }

    /** Exit 3: the broker could not be reached or refused the request. */
    public static CliFailure unavailable(String message, Throwable cause) {
        return new CliFailure(ExitCodes.UNAVAILABLE, message, cause);
    }

    /** Exit 4: the brokers rejected the credentials or the TLS handshake, or an ACL forbids the operation. */
    public static CliFailure refused(String message, Throwable cause) {
        return new CliFailure(ExitCodes.REFUSED, message, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
