package io.restrictd.schema;

import java.nio.charset.CharacterCodingException;

/**
 * The identity of one restriction: who set it ({@code source}), what it matches ({@code kind}) and the
 * normalised {@code subject}. Its text form {@code source|kind|subject} is the Kafka record key, so
 * compaction keeps one value per source, kind and subject, and two sources never overwrite each other.
 */
public record RestrictionKey(String source, Kind kind, String subject) {

    public RestrictionKey {
        checkSource(source);
        if (kind == null) {
            throw new InvalidEventException("kind: missing");
        }
        subject = Subjects.normalize(kind, subject);
    }

    /** Validates a source name: lower-case letters, digits, '.', '_' and '-', at most 32 characters. */
    public static String checkSource(String source) {
        if (!isSourceName(source)) {
            throw new InvalidEventException("source: '" + source
                    + "' is not a source name ([a-z0-9][a-z0-9._-]{0,31})");
        }
        return source;
    }

    /**
     * The JSON Schema's pattern {@code [a-z0-9][a-z0-9._-]{0,31}}, by hand: every record key and stored value
     * names its source, and a regex match costs more than the rest of the check (RestrictionKeyTest holds this
     * to the pattern).
     */
    static boolean isSourceName(String source) {
        if (source == null || source.isEmpty() || source.length() > 32) {
            return false;
        }
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '.' || c == '_' || c == '-'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a Kafka record key.
     *
     * @throws InvalidEventException if it is not {@code source|kind|subject} with valid parts
     */
    public static RestrictionKey parse(String text) {
        if (text == null) {
            throw new InvalidEventException("key: missing (records must be keyed source|kind|subject)");
        }
        int first = text.indexOf('|');
        int second = first < 0 ? -1 : text.indexOf('|', first + 1);
        if (second < 0) {
            throw new InvalidEventException("key: '" + text + "' is not source|kind|subject");
        }
        return new RestrictionKey(text.substring(0, first), Kind.fromWire(text.substring(first + 1, second)),
                text.substring(second + 1));
    }

    /**
     * Parses a Kafka record key given as UTF-8 bytes.
     *
     * @throws InvalidEventException also if the bytes are not well-formed UTF-8 (a lenient decode would turn
     *         them into U+FFFD and so into a different key than the one Kafka compacts on)
     */
    public static RestrictionKey parse(byte[] utf8) {
        if (utf8 == null) {
            return parse((String) null);
        }
        try {
            return parse(Utf8.decodeStrict(utf8));
        } catch (CharacterCodingException e) {
            throw new InvalidEventException("key: not well-formed UTF-8", e);
        }
    }

    /** The Kafka record key, {@code source|kind|subject}. */
    public String wire() {
        return source + '|' + kind.wireName() + '|' + subject;
    }

    @Override
    public String toString() {
        return wire();
    }
}
