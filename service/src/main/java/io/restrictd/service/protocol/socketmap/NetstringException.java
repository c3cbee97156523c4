package io.restrictd.service.protocol.socketmap;

/**
 * A netstring framing error. After one, the byte stream cannot be resynchronised: the length prefix
 * is the only framing netstrings have. The connection is answered {@code PERM <message>} and closed.
 */
public final class NetstringException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the frame. */
    public enum Kind {
        /** The length prefix is empty, not a decimal number, or not followed by ':'. */
        BAD_LENGTH,
        /** The length has a leading zero ({@code 03:abc,}); only {@code 0:,} may start with one. */
        LEADING_ZERO,
        /** The announced length exceeds the decoder's maximum. */
        TOO_LONG,
        /** The payload is not followed by ','. */
        MISSING_COMMA
    }

    private final Kind kind;

    public NetstringException(Kind kind, String message) {
        super(message, null, false, false); // a protocol error, not a bug: no stack trace
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
