package io.restrictd.service.core;

/**
 * What a lookup says, independent of the protocol that asked. Protocols map each case to their own
 * reply (socketmap {@code OK}/{@code NOTFOUND}/{@code TEMP}, policy {@code action=...}).
 */
public sealed interface Answer {
    /** A restriction applies: {@code action} is the access(5) value, e.g. {@code REJECT text}. */
    record Restricted(String action, Decision decision) implements Answer {
    }

    /** No restriction applies to this key. */
    record NotRestricted() implements Answer {
    }

    /**
     * The node cannot tell yet (still catching up, or the store is unavailable). Never answered as
     * "not found": Postfix must defer, not accept.
     */
    record Unavailable(String reason) implements Answer {
    }

    Answer NOT_RESTRICTED = new NotRestricted();
}
