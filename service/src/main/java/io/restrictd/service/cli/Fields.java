package io.restrictd.service.cli;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.schema.Kind;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.schema.Subjects;
import java.time.Duration;

/**
 * Validators for the values an operator types, shared by the options and the CSV import, so both
 * say the same thing about the same mistake. Each throws a {@link FieldException} naming the field.
 */
public final class Fields {
    /** Longest free text (reason, ticket, actor), as the event codec accepts it. */
    public static final int MAX_TEXT = 1000;

    private Fields() {
    }

    public static Kind kind(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new FieldException("kind", "missing (expected sender or login)");
        }
        try {
            return Kind.fromWire(raw.strip());
        } catch (InvalidEventException e) {
            throw new FieldException("kind", "'" + raw.strip() + "' is not a kind (expected sender or login)");
        }
    }

    /** The normalised subject, as it will be keyed. */
    public static String subject(Kind kind, String raw) {
        if (raw == null || raw.isBlank()) {
            throw new FieldException("subject", "missing");
        }
        try {
            return Subjects.normalize(kind, raw);
        } catch (InvalidEventException e) {
            throw field("subject", e);
        }
    }

    public static String source(String raw) {
        try {
            return RestrictionKey.checkSource(raw);
        } catch (InvalidEventException e) {
            throw field("source", e);
        }
    }

    public static RestrictionKey key(String source, Kind kind, String rawSubject) {
        return new RestrictionKey(source(source), kind, subject(kind, rawSubject));
    }

    /** An access(5) action such as {@code REJECT text} or {@code 550 5.7.1 text}; required. */
    public static AccessAction action(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new FieldException("action", "missing (e.g. \"REJECT Sending suspended, contact abuse@example.org\")");
        }
        try {
            return AccessAction.parse(raw);
        } catch (InvalidEventException e) {
            throw field("action", e);
        }
    }

    /** A TTL, or null if none was given (no expiry). */
    public static Duration ttl(String raw) {
        return raw == null || raw.isBlank() ? null : TtlParser.parse(raw);
    }

    /** Optional free text: stripped, null if empty, at most {@value #MAX_TEXT} characters. */
    public static String text(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String s = raw.strip();
        if (s.length() > MAX_TEXT) {
            throw new FieldException(field, "longer than " + MAX_TEXT + " characters");
        }
        return s;
    }

    /** The contract's messages start with the field name; don't say it twice. */
    private static FieldException field(String field, InvalidEventException e) {
        String message = e.getMessage();
        String prefix = field + ": ";
        return new FieldException(field, message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }
}
