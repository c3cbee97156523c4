package io.restrictd.schema;

/**
 * The restrictive access(5) actions restrictd publishes, with their precedence. Permissive actions
 * (OK, DUNNO, PERMIT...) are not restrictions and are not part of the contract.
 */
public enum Verb {
    /** Permanent refusal: 5xx (access_map_reject_code, 554 by default). */
    REJECT(4, '5'),
    /** Temporary refusal: 4xx (access_map_defer_code, 450 by default). */
    DEFER(3, '4'),
    /** Temporary refusal unless a later restriction rejects. */
    DEFER_IF_PERMIT(3, '4'),
    /** Accept the mail and throw it away. */
    DISCARD(2, (char) 0),
    /** Accept the mail and put it on hold in the queue. */
    HOLD(1, (char) 0);

    private final int severity;
    private final char statusClass;

    Verb(int severity, char statusClass) {
        this.severity = severity;
        this.statusClass = statusClass;
    }

    /** Higher wins: 5xx/REJECT over 4xx/DEFER over DISCARD over HOLD. */
    public int severity() {
        return severity;
    }

    /** The first digit an explicit SMTP code must have for this verb, or 0 if none may be given. */
    public char statusClass() {
        return statusClass;
    }
}
