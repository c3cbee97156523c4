package io.restrictd.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the golden fixtures under {@code fixtures/} through the codec and the shipped JSON Schema files:
 * what external producers validate against and what the node decodes must agree.
 */
class EventCodecGoldenTest {
    private static final EventCodec CODEC = new EventCodec();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema RESTRICTION_SCHEMA = JsonSchemas.load(JsonSchemas.RESTRICTION);
    private static final Schema AUDIT_SCHEMA = JsonSchemas.load(JsonSchemas.AUDIT);

    /** The field each invalid fixture's InvalidEventException must name, at the start of its message. */
    private static final Map<String, String> RESTRICTION_FIELD = Map.ofEntries(
            Map.entry("unknown-schema-version", "schema"), Map.entry("missing-schema", "schema"),
            Map.entry("missing-action", "action"), Map.entry("missing-created-at", "createdAt"),
            Map.entry("missing-subject", "subject"), Map.entry("unknown-property", "priority"),
            Map.entry("unknown-action", "action"), Map.entry("lower-case-action", "action"),
            Map.entry("smtp-code-mismatch", "smtpCode"), Map.entry("smtp-code-out-of-range", "smtpCode"),
            Map.entry("smtp-code-overflow", "smtpCode"), Map.entry("smtp-code-fraction", "smtpCode"),
            Map.entry("smtp-code-string", "smtpCode"), Map.entry("smtp-code-on-discard", "smtpCode"),
            Map.entry("smtp-code-on-defer-if-permit", "smtpCode"),
            Map.entry("enhanced-code-class-mismatch", "enhancedCode"),
            Map.entry("enhanced-code-without-smtp-code", "enhancedCode"),
            Map.entry("enhanced-code-malformed", "enhancedCode"),
            Map.entry("message-with-crlf", "message"), Map.entry("message-trailing-newline", "message"),
            Map.entry("message-with-nel", "message"), Map.entry("message-too-long", "message"),
            Map.entry("bad-date", "createdAt"), Map.entry("date-without-offset", "createdAt"),
            Map.entry("date-hour-24", "createdAt"), Map.entry("date-february-30", "createdAt"),
            Map.entry("date-as-epoch-number", "createdAt"), Map.entry("expires-before-created", "expiresAt"),
            Map.entry("subject-not-normalised", "subject"), Map.entry("subject-non-ascii-upper-case", "subject"),
            Map.entry("subject-u-label-domain", "subject"), Map.entry("subject-trailing-dot", "subject"),
            Map.entry("subject-with-space", "subject"), Map.entry("subject-empty-local-part", "subject"),
            Map.entry("subject-too-long", "subject"), Map.entry("subject-bad-label", "subject"),
            Map.entry("source-upper-case", "source"), Map.entry("source-with-pipe", "source"),
            Map.entry("unknown-kind", "kind"), Map.entry("upper-case-kind", "kind"),
            Map.entry("origin-value-not-string", "origin.uidNumber"), Map.entry("origin-not-object", "origin"),
            Map.entry("reason-not-string", "reason"), Map.entry("not-json", "value"),
            Map.entry("array-not-object", "value"), Map.entry("trailing-garbage", "value"),
            Map.entry("duplicate-property", "value"), Map.entry("duplicate-property-in-origin", "value"));

    private static final Map<String, String> AUDIT_FIELD = Map.ofEntries(
            Map.entry("unknown-schema-version", "schema"), Map.entry("add-without-restriction", "restriction"),
            Map.entry("lift-with-restriction", "restriction"),
            Map.entry("add-restriction-for-other-key", "restriction"), Map.entry("missing-actor", "actor"),
            Map.entry("blank-actor", "actor"), Map.entry("unknown-op", "op"), Map.entry("unknown-property", "host"),
            Map.entry("bad-date", "at"), Map.entry("missing-at", "at"), Map.entry("restriction-invalid", "smtpCode"),
            Map.entry("restriction-not-object", "restriction"), Map.entry("subject-not-normalised", "subject"),
            Map.entry("not-json", "value"), Map.entry("array-not-object", "value"));

    /**
     * Invalid fixtures only the codec can catch, because JSON Schema cannot say it; the schema must accept
     * them (so this list shrinks, never goes stale, if the schema learns to).
     */
    private static final Map<String, String> CODEC_ONLY = Map.of(
            "restriction/expires-before-created", "JSON Schema cannot compare two properties' values",
            "restriction/subject-non-ascii-upper-case",
            "Unicode case folding has no portable regex; the schema only forbids ASCII A-Z",
            "restriction/duplicate-property", "validators see the parsed object, where the last duplicate wins",
            "restriction/duplicate-property-in-origin", "as restriction/duplicate-property, one object down",
            "audit/add-restriction-for-other-key", "JSON Schema cannot compare the nested key with the outer one");

    static Stream<String> validRestrictions() {
        return fixtures("restriction/valid");
    }

    static Stream<String> invalidRestrictions() {
        return fixtures("restriction/invalid");
    }

    static Stream<String> validAudits() {
        return fixtures("audit/valid");
    }

    static Stream<String> invalidAudits() {
        return fixtures("audit/invalid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRestrictions")
    void shouldRoundTripValidRestriction(String fixture) {
        Restriction decoded = CODEC.decodeRestriction(null, read(fixture));

        byte[] encoded = CODEC.encode(decoded);
        Restriction again = CODEC.decodeRestriction(decoded.key(), encoded);

        assertThat(again).isEqualTo(decoded);
        assertThat(CODEC.encode(again)).isEqualTo(encoded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRestrictions")
    void shouldAcceptValidRestrictionWithTheSchemaBeforeAndAfterReEncoding(String fixture) {
        assertThat(JsonSchemas.errors(RESTRICTION_SCHEMA, text(fixture))).isEmpty();

        String reEncoded = new String(CODEC.encode(CODEC.decodeRestriction(null, read(fixture))), StandardCharsets.UTF_8);
        assertThat(JsonSchemas.errors(RESTRICTION_SCHEMA, reEncoded)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRestrictions")
    void shouldDecodeValidRestrictionUnderItsOwnRecordKeyOnly(String fixture) throws IOException {
        JsonNode n = JSON.readTree(read(fixture));
        String wire = n.get("source").textValue() + '|' + n.get("kind").textValue() + '|' + n.get("subject").textValue();
        RestrictionKey recordKey = RestrictionKey.parse(wire.getBytes(StandardCharsets.UTF_8));

        assertThat(recordKey.wire()).as("fixture keys are in normal form").isEqualTo(wire);
        assertThat(CODEC.decodeRestriction(recordKey, read(fixture)).key()).isEqualTo(recordKey);

        RestrictionKey otherSource = new RestrictionKey("other", recordKey.kind(), recordKey.subject());
        assertThatThrownBy(() -> CODEC.decodeRestriction(otherSource, read(fixture)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("key:");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRestrictions")
    void shouldRejectInvalidRestrictionNamingTheField(String fixture) {
        String field = expectedField(RESTRICTION_FIELD, fixture);

        assertThatThrownBy(() -> CODEC.decodeRestriction(null, read(fixture)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRestrictions")
    void shouldRejectInvalidRestrictionWithTheSchemaUnlessOnlySemanticsCan(String fixture) {
        assertSchemaVerdict(RESTRICTION_SCHEMA, fixture);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validAudits")
    void shouldRoundTripValidAuditEvent(String fixture) {
        AuditEvent decoded = CODEC.decodeAudit(read(fixture));

        byte[] encoded = CODEC.encode(decoded);
        AuditEvent again = CODEC.decodeAudit(encoded);

        assertThat(again).isEqualTo(decoded);
        assertThat(CODEC.encode(again)).isEqualTo(encoded);
        assertThat(JsonSchemas.errors(AUDIT_SCHEMA, text(fixture))).isEmpty();
        assertThat(JsonSchemas.errors(AUDIT_SCHEMA, new String(encoded, StandardCharsets.UTF_8))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAudits")
    void shouldRejectInvalidAuditEventNamingTheField(String fixture) {
        String field = expectedField(AUDIT_FIELD, fixture);

        assertThatThrownBy(() -> CODEC.decodeAudit(read(fixture)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAudits")
    void shouldRejectInvalidAuditEventWithTheSchemaUnlessOnlySemanticsCan(String fixture) {
        assertSchemaVerdict(AUDIT_SCHEMA, fixture);
    }

    @Test
    void shouldShipSchemasThatAreValidDraft202012() {
        Schema meta = JsonSchemas.metaSchema();

        assertThat(JsonSchemas.errors(meta, JsonSchemas.resourceText(JsonSchemas.RESTRICTION))).isEmpty();
        assertThat(JsonSchemas.errors(meta, JsonSchemas.resourceText(JsonSchemas.AUDIT))).isEmpty();
    }

    @Test
    void shouldEmbedTheRestrictionSchemaUnchangedInTheAuditSchema() throws IOException {
        JsonNode restriction = JSON.readTree(JsonSchemas.resourceText(JsonSchemas.RESTRICTION));
        JsonNode audit = JSON.readTree(JsonSchemas.resourceText(JsonSchemas.AUDIT));

        assertThat(audit.at("/$defs/restriction")).isEqualTo(restriction);
    }

    @Test
    void shouldUseTheCodecsSchemaNamesAsConstants() throws IOException {
        JsonNode restriction = JSON.readTree(JsonSchemas.resourceText(JsonSchemas.RESTRICTION));
        JsonNode audit = JSON.readTree(JsonSchemas.resourceText(JsonSchemas.AUDIT));

        assertThat(restriction.at("/properties/schema/const").textValue()).isEqualTo(Restriction.SCHEMA);
        assertThat(audit.at("/properties/schema/const").textValue()).isEqualTo(AuditEvent.SCHEMA);
        assertThat(restriction.at("/properties/action/enum")).extracting(JsonNode::textValue)
                .containsExactly(Stream.of(Verb.values()).map(Verb::name).toArray(String[]::new));
    }

    @Test
    void shouldHaveAFieldExpectationForEveryInvalidFixtureAndNoStaleOnes() {
        assertThat(RESTRICTION_FIELD.keySet()).containsExactlyInAnyOrderElementsOf(
                invalidRestrictions().map(EventCodecGoldenTest::baseName).toList());
        assertThat(AUDIT_FIELD.keySet()).containsExactlyInAnyOrderElementsOf(
                invalidAudits().map(EventCodecGoldenTest::baseName).toList());
    }

    @Test
    void shouldRejectValueOverTheSizeLimitThatTheSchemaCannotBound() {
        StringBuilder origin = new StringBuilder();
        for (int i = 0; i < 70; i++) {
            origin.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":\"").append("x".repeat(1000)).append('"');
        }
        String json = "{\"schema\":\"restrictd.restriction/v1\",\"source\":\"abuse\",\"kind\":\"sender\","
                + "\"subject\":\"spammer@example.net\",\"action\":\"REJECT\",\"origin\":{" + origin + "},"
                + "\"createdAt\":\"2026-01-31T12:00:00Z\"}";

        assertThat(json.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(EventCodec.MAX_VALUE_BYTES);
        assertThat(JsonSchemas.errors(RESTRICTION_SCHEMA, json)).as("the schema cannot bound bytes").isEmpty();
        assertThatThrownBy(() -> CODEC.decodeRestriction(null, json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("value:");
    }

    @Test
    void shouldRejectATombstoneAsAnEvent() {
        assertThatThrownBy(() -> CODEC.decodeRestriction(null, null))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("value:");
    }

    @Test
    void shouldAcceptAnIntegralSmtpCodeWrittenAsADecimalAsJsonSchemaDoes() {
        String json = text("restriction/valid/reject-550-5.7.1.json").replace("550,", "550.0,");
        assertThat(json).contains("550.0");

        assertThat(JsonSchemas.errors(RESTRICTION_SCHEMA, json)).isEmpty();
        assertThat(CODEC.decodeRestriction(null, json.getBytes(StandardCharsets.UTF_8)).action().smtpCode())
                .isEqualTo(550);
    }

    private static void assertSchemaVerdict(Schema schema, String fixture) {
        List<String> errors = JsonSchemas.errors(schema, text(fixture));
        String id = fixture.substring(0, fixture.indexOf('/')) + "/" + baseName(fixture);
        if (CODEC_ONLY.containsKey(id)) {
            assertThat(errors).as("codec-only (%s); if the schema now catches it, drop it from CODEC_ONLY",
                    CODEC_ONLY.get(id)).isEmpty();
        } else {
            assertThat(errors).as("schema errors for %s", fixture).isNotEmpty();
        }
    }

    private static String expectedField(Map<String, String> fields, String fixture) {
        String field = fields.get(baseName(fixture));
        assertThat(field).as("expected field for %s", fixture).isNotNull();
        return field;
    }

    private static String baseName(String fixture) {
        String name = fixture.substring(fixture.lastIndexOf('/') + 1);
        return name.substring(0, name.length() - ".json".length());
    }

    private static Stream<String> fixtures(String dir) {
        try {
            Path root = Path.of(EventCodecGoldenTest.class.getResource("/fixtures").toURI());
            try (Stream<Path> files = Files.list(root.resolve(dir))) {
                List<String> names = files.map(p -> dir + "/" + p.getFileName()).filter(n -> n.endsWith(".json"))
                        .sorted().toList();
                assertThat(names).as("fixtures in %s", dir).isNotEmpty();
                return names.stream();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(String fixture) {
        return text(fixture).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(String fixture) {
        return JsonSchemas.resourceText("/fixtures/" + fixture);
    }
}
