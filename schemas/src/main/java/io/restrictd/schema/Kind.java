package io.restrictd.schema;

import java.util.Locale;

/** What a restriction's subject is matched against. */
public enum Kind {
    /** The envelope sender (MAIL FROM), matched with access(5) semantics. */
    SENDER("sender"),
    /** The SASL login name of an authenticated client. */
    LOGIN("login");

    private final String wireName;

    Kind(String wireName) {
        this.wireName = wireName;
    }

    /** The name used on the wire: in event JSON, Kafka keys, socketmap map names. */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name.
     *
     * @throws InvalidEventException if the name is not a known kind
     */
    public static Kind fromWire(String name) {
        if (name != null) {
            String folded = name.toLowerCase(Locale.ROOT);
            for (Kind kind : values()) {
                if (kind.wireName.equals(folded)) {
                    return kind;
                }
            }
        }
        throw new InvalidEventException("kind: unknown kind '" + name + "' (expected sender or login)");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
