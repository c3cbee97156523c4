package io.restrictd.schema;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * JSON codec for {@link Restriction} ({@value Restriction#SCHEMA}) and {@link AuditEvent}
 * ({@value AuditEvent#SCHEMA}), matching the JSON Schema files in {@code /restrictd/} on the class
 * path. Decoding is strict: an unknown schema version, an unknown property, a wrong type or an
 * invalid value is an {@link InvalidEventException} naming the field, never a partial event.
 *
 * <p>Thread-safe; share one instance.
 */
public final class EventCodec {
    public static final int MAX_VALUE_BYTES = 64 * 1024;

    private static final Set<String> RESTRICTION_FIELDS = Set.of("schema", "source", "kind", "subject", "action",
            "smtpCode", "enhancedCode", "message", "reason", "origin", "actor", "ticket", "createdAt", "expiresAt");
    private static final Set<String> AUDIT_FIELDS = Set.of("schema", "op", "source", "kind", "subject",
            "restriction", "actor", "reason", "ticket", "at");
    private static final int MAX_TEXT = 1000;
    /** RFC 3339 date-time, as the JSON Schema's pattern; at most nanosecond precision, as Instant. */
    private static final Pattern RFC3339 = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt]([01][0-9]|2[0-3])"
            + ":[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])");

    // Strict parsing: a duplicate property or trailing text means producers and consumers in other
    // languages may read a different event than we do.
    private final ObjectMapper mapper = new ObjectMapper()
            // Duplicates are caught as the tree is built (the parser's own detection keeps a set per object
            // and cost a tenth of decoding).
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Encodes a restriction as the UTF-8 JSON value of its record. */
    public byte[] encode(Restriction r) {
        return write(g -> writeRestriction(g, r));
    }

    /** Encodes an audit event as UTF-8 JSON. */
    public byte[] encode(AuditEvent e) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("schema", AuditEvent.SCHEMA);
            g.writeStringField("op", e.op().name());
            writeKey(g, e.key());
            if (e.restriction() != null) {
                g.writeFieldName("restriction");
                writeRestriction(g, e.restriction());
            }
            g.writeStringField("actor", e.actor());
            writeIfSet(g, "reason", e.reason());
            writeIfSet(g, "ticket", e.ticket());
            g.writeStringField("at", e.at().toString());
            g.writeEndObject();
        });
    }

    /**
     * Decodes a record value, checking that it belongs to the record key it came with.
     *
     * @param recordKey the Kafka key, or null to skip that check
     * @throws InvalidEventException if the value is not a valid v1 restriction for that key
     */
    public Restriction decodeRestriction(RestrictionKey recordKey, byte[] value) {
        Restriction r = restrictionFrom(parse(value));
        if (recordKey != null && !recordKey.equals(r.key())) {
            throw new InvalidEventException("key: record key '" + recordKey + "' does not match the value's '"
                    + r.key() + "'");
        }
        return r;
    }

    /** Decodes an audit event. */
    public AuditEvent decodeAudit(byte[] value) {
        JsonNode n = parse(value);
        checkSchema(n, AuditEvent.SCHEMA, AUDIT_FIELDS);
        AuditEvent.Op op;
        try {
            op = AuditEvent.Op.valueOf(text(n, "op", true));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("op: expected ADD or LIFT");
        }
        RestrictionKey key = keyFrom(n);
        JsonNode r = n.get("restriction");
        if (r != null && !r.isNull() && !r.isObject()) {
            throw new InvalidEventException("restriction: expected a " + Restriction.SCHEMA + " object");
        }
        Restriction restriction = r == null || r.isNull() ? null : restrictionFrom(r);
        return new AuditEvent(op, key, restriction, text(n, "actor", true), text(n, "reason", false),
                text(n, "ticket", false), instant(n, "at", true));
    }

    // Written field by field, with no tree in between: a syncer's initial load encodes a restriction and an
    // audit record per entry (measured here, 200k of each: 1.05 s on a cold JVM, 0.40 s warm; 1.30 and
    // 0.47 s through an ObjectNode tree).
    private static void writeRestriction(JsonGenerator g, Restriction r) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema", Restriction.SCHEMA);
        writeKey(g, r.key());
        AccessAction a = r.action();
        g.writeStringField("action", a.verb().name());
        if (a.smtpCode() != null) {
            g.writeNumberField("smtpCode", a.smtpCode());
        }
        writeIfSet(g, "enhancedCode", a.enhancedCode());
        writeIfSet(g, "message", a.message());
        writeIfSet(g, "reason", r.reason());
        if (!r.origin().isEmpty()) {
            g.writeObjectFieldStart("origin");
            // Only the current name of the entry id is written (EntryOrigin): old readers ignore origin.
            for (Map.Entry<String, String> e : new TreeMap<>(EntryOrigin.canonical(r.origin())).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        writeIfSet(g, "actor", r.actor());
        writeIfSet(g, "ticket", r.ticket());
        g.writeStringField("createdAt", r.createdAt().toString());
        if (r.expiresAt() != null) {
            g.writeStringField("expiresAt", r.expiresAt().toString());
        }
        g.writeEndObject();
    }

    private Restriction restrictionFrom(JsonNode n) {
        checkSchema(n, Restriction.SCHEMA, RESTRICTION_FIELDS);
        RestrictionKey key = keyFrom(n);
        Verb verb;
        String verbText = text(n, "action", true);
        try {
            verb = Verb.valueOf(verbText);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("action: '" + verbText
                    + "' is not one of REJECT, DEFER, DEFER_IF_PERMIT, DISCARD, HOLD");
        }
        String message = text(n, "message", false);
        checkRawMessage(message);
        AccessAction action = new AccessAction(verb, smtpCode(n), text(n, "enhancedCode", false), message);
        return new Restriction(key, action, text(n, "reason", false), origin(n), text(n, "actor", false),
                text(n, "ticket", false), instant(n, "createdAt", true), instant(n, "expiresAt", false));
    }

    /**
     * An integer as JSON Schema reads one: 550 and 550.0 alike; never truncated (4294967846 is not 550).
     */
    private static Integer smtpCode(JsonNode n) {
        JsonNode c = n.get("smtpCode");
        if (c == null || c.isNull()) {
            return null;
        }
        if (c.isNumber()) {
            try {
                return c.decimalValue().intValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                // not integral, or out of range: reported below
            }
        }
        throw new InvalidEventException("smtpCode: expected an integer from 400 to 599, got " + c);
    }

    /**
     * The message as sent, before {@link AccessAction} strips it: a trailing CR LF or 400 characters plus
     * padding is invalid on the wire, as the JSON Schema says, even though stripping would hide it.
     */
    private static void checkRawMessage(String message) {
        if (message == null) {
            return;
        }
        for (int i = 0; i < message.length(); i++) {
            if (AccessAction.isControl(message.charAt(i))) {
                throw new InvalidEventException("message: control character U+"
                        + String.format(Locale.ROOT, "%04X", (int) message.charAt(i)) + " at position " + i);
            }
        }
        if (message.codePointCount(0, message.length()) > AccessAction.MAX_MESSAGE) {
            throw new InvalidEventException("message: longer than " + AccessAction.MAX_MESSAGE + " characters");
        }
    }

    private JsonNode parse(byte[] value) {
        if (value == null) {
            throw new InvalidEventException("value: null (a tombstone is not an event)");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new InvalidEventException("value: " + value.length + " bytes, over the limit of " + MAX_VALUE_BYTES);
        }
        try {
            JsonNode n = mapper.readTree(value);
            if (n == null || !n.isObject()) {
                throw new InvalidEventException("value: not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new InvalidEventException("value: not valid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    private static void checkSchema(JsonNode n, String expected, Set<String> allowed) {
        JsonNode s = n.get("schema");
        if (s == null || !s.isTextual()) {
            throw new InvalidEventException("schema: missing (expected \"" + expected + "\")");
        }
        if (!expected.equals(s.textValue())) {
            throw new InvalidEventException("schema: unsupported version '" + s.textValue() + "' (this build reads "
                    + expected + ")");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new InvalidEventException(f + ": unknown property for " + expected);
            }
        }
    }

    /**
     * The key fields of a value, which must be in normal form: the value then carries exactly the key its
     * record is (or should be) keyed by, byte for byte, which is what Kafka partitions and compacts on.
     */
    private static RestrictionKey keyFrom(JsonNode n) {
        String kindText = text(n, "kind", true);
        Kind kind = Kind.fromWire(kindText);
        if (!kind.wireName().equals(kindText)) {
            throw new InvalidEventException("kind: '" + kindText + "' is not one of sender, login");
        }
        String subject = text(n, "subject", true);
        RestrictionKey key = new RestrictionKey(text(n, "source", true), kind, subject);
        if (!key.subject().equals(subject)) {
            throw new InvalidEventException("subject: '" + subject + "' is not in normal form (expected '"
                    + key.subject() + "')");
        }
        return key;
    }

    private static void writeKey(JsonGenerator g, RestrictionKey k) throws IOException {
        g.writeStringField("source", k.source());
        g.writeStringField("kind", k.kind().wireName());
        g.writeStringField("subject", k.subject());
    }

    /** The origin as sent, in its current form: a deprecated entryUUID reads as entryId ({@link EntryOrigin}). */
    private static Map<String, String> origin(JsonNode n) {
        JsonNode o = n.get("origin");
        if (o == null || o.isNull()) {
            return Map.of();
        }
        if (!o.isObject()) {
            throw new InvalidEventException("origin: expected an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String v = e.getValue().textValue();
            if (v == null || v.codePointCount(0, v.length()) > MAX_TEXT) {
                throw new InvalidEventException("origin." + e.getKey() + ": expected a string of at most "
                        + MAX_TEXT + " characters");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return EntryOrigin.canonical(out);
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidEventException(field + ": missing");
            }
            return null;
        }
        if (v.getNodeType() != JsonNodeType.STRING) {
            throw new InvalidEventException(field + ": expected a string");
        }
        String s = v.textValue();
        if (s.codePointCount(0, s.length()) > MAX_TEXT) {
            throw new InvalidEventException(field + ": longer than " + MAX_TEXT + " characters");
        }
        return s;
    }

    private static Instant instant(JsonNode n, String field, boolean required) {
        String s = text(n, field, required);
        if (s == null) {
            return null;
        }
        Instant utc = parseUtc(s);
        if (utc != null) {
            return utc;
        }
        // The pattern keeps out what Instant.parse would take but RFC 3339 does not (24:00, +12026-...).
        if (RFC3339.matcher(s).matches()) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                // an impossible date such as February 30: reported below
            }
        }
        throw new InvalidEventException(field + ": '" + s + "' is not an RFC 3339 date-time (e.g. 2026-01-31T12:00:00Z)");
    }

    /**
     * The form every producer here writes ({@link Instant#toString}: {@code 2026-01-31T12:00:00Z}, or with 1 to 9
     * fraction digits), read without a regex or a {@code DateTimeFormatter}, which cost more than the rest of
     * decoding a record. Returns null for anything else (another offset, a leap second, an impossible date, not
     * the pattern at all), which the general path then accepts or rejects; what it returns is exactly what that
     * path would (EventCodecInstantTest holds it to the schema's pattern and to {@link Instant#parse}).
     */
    static Instant parseUtc(String s) {
        int n = s.length();
        if (n < 20 || n == 21 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) | 0x20) != 't'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || (s.charAt(n - 1) | 0x20) != 'z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) { // ".f" to ".fffffffff" before the Z
            if (s.charAt(19) != '.') {
                return null;
            }
            int fraction = digits(s, 20, n - 21);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = n - 21; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (day > 28 && day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number of {@code count} ASCII digits at {@code from}, or -1 if any is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static void writeIfSet(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    /** What {@link #write} writes into. */
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON to a byte array", e); // cannot happen
        }
        return out.toByteArray();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
