package io.restrictd.service.core;

import io.restrictd.schema.Kind;

/**
 * The one question the protocol servers ask. Implementations are thread-safe, never block on
 * the network, and never throw: a failure inside becomes {@link Answer.Unavailable}.
 */
@FunctionalInterface
public interface Lookup {
    /**
     * @param kind what the key is (envelope sender, SASL login)
     * @param key  the key exactly as Postfix sent it (not normalised; may be empty for the null sender)
     */
    Answer find(Kind kind, String key);
}
