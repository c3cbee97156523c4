package io.restrictd.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditEventTest {
    private static final EventCodec CODEC = new EventCodec();
    private static final Instant T0 = Instant.parse("2026-01-31T12:00:00Z");
    private static final RestrictionKey KEY = new RestrictionKey("abuse", Kind.SENDER, "Spammer@Example.NET");
    private static final Restriction RESTRICTION = new Restriction(KEY, AccessAction.parse("550 5.7.1 Account compromised"),
            "phishing", Map.of("ticketSystem", "otrs"), "alice@abuse.example.org", "ABUSE-4711", T0,
            T0.plusSeconds(86_400));

    @Test
    void shouldRoundTripAnAdd() {
        AuditEvent add = new AuditEvent(AuditEvent.Op.ADD, KEY, RESTRICTION, "alice@abuse.example.org", "phishing",
                "ABUSE-4711", T0.plusMillis(5));

        assertThat(CODEC.decodeAudit(CODEC.encode(add))).isEqualTo(add);
    }

    @Test
    void shouldRoundTripALiftWithoutRestriction() {
        AuditEvent lift = new AuditEvent(AuditEvent.Op.LIFT, KEY, null, "restrictd-syncer@mx1", null, null, T0);

        byte[] encoded = CODEC.encode(lift);

        assertThat(CODEC.decodeAudit(encoded)).isEqualTo(lift);
        assertThat(new String(encoded, StandardCharsets.UTF_8)).doesNotContain("restriction", "reason", "ticket");
    }

    @Test
    void shouldAcceptEncodedEventsWithTheAuditSchema() {
        AuditEvent add = new AuditEvent(AuditEvent.Op.ADD, KEY, RESTRICTION, "alice", null, null, T0);

        assertThat(JsonSchemas.errors(JsonSchemas.load(JsonSchemas.AUDIT),
                new String(CODEC.encode(add), StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void shouldRoundTripARestrictionBuiltFromRawInput() {
        byte[] encoded = CODEC.encode(RESTRICTION);

        assertThat(new String(encoded, StandardCharsets.UTF_8)).contains("\"subject\":\"spammer@example.net\"");
        assertThat(CODEC.decodeRestriction(RestrictionKey.parse("abuse|sender|spammer@example.net"), encoded))
                .isEqualTo(RESTRICTION);
    }

    @Test
    void shouldRequireAnActor() {
        assertThatThrownBy(() -> new AuditEvent(AuditEvent.Op.LIFT, KEY, null, " ", null, null, T0))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("actor:");
    }

    @Test
    void shouldRequireTheRestrictionOfTheSameKeyForAnAdd() {
        RestrictionKey other = new RestrictionKey("ldap", Kind.SENDER, "spammer@example.net");

        assertThatThrownBy(() -> new AuditEvent(AuditEvent.Op.ADD, KEY, null, "alice", null, null, T0))
                .hasMessageStartingWith("restriction:");
        assertThatThrownBy(() -> new AuditEvent(AuditEvent.Op.ADD, other, RESTRICTION, "alice", null, null, T0))
                .hasMessageStartingWith("restriction:");
    }

    @Test
    void shouldRefuseARestrictionOnALift() {
        assertThatThrownBy(() -> new AuditEvent(AuditEvent.Op.LIFT, KEY, RESTRICTION, "alice", null, null, T0))
                .hasMessageStartingWith("restriction:");
    }

    @Test
    void shouldRequireExpiryAfterCreation() {
        assertThatThrownBy(() -> new Restriction(KEY, AccessAction.of(Verb.HOLD, null), null, null, null, null, T0, T0))
                .hasMessageStartingWith("expiresAt:");
    }

    @Test
    void shouldMatchOnlyBeforeExpiry() {
        assertThat(RESTRICTION.activeAt(T0)).isTrue();
        assertThat(RESTRICTION.activeAt(T0.plusSeconds(86_399))).isTrue();
        assertThat(RESTRICTION.activeAt(T0.plusSeconds(86_400))).isFalse();
    }
}
