package io.restrictd.service.protocol.policy;

/**
 * A policy request that cannot be parsed. Each kind says whether the stream stays in step: after a
 * recoverable error the parser has skipped to the end of the bad request (its empty line) and the
 * connection carries on; after a fatal one the request's end cannot be found within the limits, so
 * the connection is answered and closed.
 */
public final class PolicyRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the request. */
    public enum Kind {
        /** A line is not {@code name=value} (no '=' or an empty name). Recoverable. */
        MALFORMED_LINE(false),
        /** An attribute appears twice: ambiguous for an access decision, so refused. Recoverable. */
        DUPLICATE_ATTRIBUTE(false),
        /** A line longer than the maximum. Fatal. */
        LINE_TOO_LONG(true),
        /** A request longer than the maximum. Fatal. */
        REQUEST_TOO_LONG(true),
        /** More attributes than the maximum. Fatal. */
        TOO_MANY_ATTRIBUTES(true);

        private final boolean fatal;

        Kind(boolean fatal) {
            this.fatal = fatal;
        }

        /** True if the connection cannot continue after this error. */
        public boolean fatal() {
            return fatal;
        }
    }

    private final Kind kind;

    public PolicyRequestException(Kind kind, String message) {
        super(message, null, false, false); // a protocol error, not a bug: no stack trace
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
