package io.restrictd.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** origin.entryId and its deprecated name entryUUID, through the codec both ways. */
class EntryOriginTest {
    private static final EventCodec CODEC = new EventCodec();
    private static final RestrictionKey KEY = new RestrictionKey("ldap", Kind.SENDER, "u1@example.org");
    private static final String ID = "d8218398-3205-4dba-8df2-497ee3deae78";

    private static byte[] json(String origin) {
        return ("{\"schema\":\"restrictd.restriction/v1\",\"source\":\"ldap\",\"kind\":\"sender\","
                + "\"subject\":\"u1@example.org\",\"action\":\"REJECT\",\"origin\":" + origin
                + ",\"createdAt\":\"2026-01-31T12:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static String encoded(Map<String, String> origin) {
        Restriction r = new Restriction(KEY, AccessAction.parse("REJECT"), null, origin, null, null,
                Instant.parse("2026-01-31T12:00:00Z"), null);
        return new String(CODEC.encode(r), StandardCharsets.UTF_8);
    }

    @Test
    void shouldReadTheDeprecatedEntryUuidAsEntryId() {
        Restriction r = CODEC.decodeRestriction(KEY, json("{\"dn\":\"cn=u1\",\"entryUUID\":\"" + ID + "\"}"));

        assertThat(r.origin()).isEqualTo(Map.of("dn", "cn=u1", "entryId", ID));
        assertThat(EntryOrigin.entryId(r.origin())).isEqualTo(ID);
    }

    @Test
    void shouldReadEntryId() {
        Restriction r = CODEC.decodeRestriction(KEY, json("{\"dn\":\"cn=u1\",\"entryId\":\"" + ID + "\"}"));

        assertThat(r.origin()).isEqualTo(Map.of("dn", "cn=u1", "entryId", ID));
    }

    @Test
    void shouldLetEntryIdWinWhenBothNamesArePresent() {
        Restriction r = CODEC.decodeRestriction(KEY, json("{\"entryUUID\":\"old\",\"entryId\":\"new\"}"));

        assertThat(r.origin()).isEqualTo(Map.of("entryId", "new"));
    }

    @Test
    void shouldDecodeOldAndNewFormOfOneEntryToEqualRestrictions() {
        Restriction old = CODEC.decodeRestriction(KEY, json("{\"dn\":\"cn=u1\",\"entryUUID\":\"" + ID + "\"}"));
        Restriction now = CODEC.decodeRestriction(KEY, json("{\"dn\":\"cn=u1\",\"entryId\":\"" + ID + "\"}"));

        assertThat(old).isEqualTo(now);
    }

    @Test
    void shouldWriteOnlyEntryId() {
        assertThat(encoded(Map.of("dn", "cn=u1", "entryId", ID)))
                .contains("\"origin\":{\"dn\":\"cn=u1\",\"entryId\":\"" + ID + "\"}");
        assertThat(encoded(Map.of("dn", "cn=u1", "entryUUID", ID)))
                .contains("\"origin\":{\"dn\":\"cn=u1\",\"entryId\":\"" + ID + "\"}").doesNotContain("entryUUID");
        assertThat(encoded(Map.of("entryUUID", "old", "entryId", "new")))
                .contains("\"origin\":{\"entryId\":\"new\"}");
    }

    @Test
    void shouldLeaveOriginsWithoutAnEntryIdAsTheyAre() {
        Map<String, String> abuse = Map.of("tool", "spamtrap", "host", "mx1");

        assertThat(EntryOrigin.canonical(abuse)).isSameAs(abuse);
        assertThat(EntryOrigin.entryId(abuse)).isNull();
        assertThat(CODEC.decodeRestriction(KEY, json("{\"tool\":\"spamtrap\",\"host\":\"mx1\"}")).origin())
                .isEqualTo(abuse);
    }
}
