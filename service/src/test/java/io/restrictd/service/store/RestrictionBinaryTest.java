package io.restrictd.service.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.schema.Verb;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestrictionBinaryTest {
    private static final String SUBJECT = "user@example.org";

    private static Restriction restriction(String source, String message, String reason, Map<String, String> origin,
            Instant expiresAt) {
        return new Restriction(new RestrictionKey(source, Kind.SENDER, SUBJECT),
                new AccessAction(Verb.REJECT, 554, "5.7.1", message), reason, origin, "abuse-desk", null,
                Instant.parse("2026-12-02T10:15:30.123456789Z"), expiresAt);
    }

    @Test
    void shouldReadBackWhatItWroteForAsciiAndOtherText() {
        Map<String, String> origin = new LinkedHashMap<>();
        origin.put("entryId", "6f1c2a4e-0000-4000-8000-000000000001");
        origin.put("dn", "cn=Zoë Müller,ou=people,dc=example,dc=org");
        origin.put("raw", "a\u0000b"); // a NUL: two bytes in modified UTF-8
        List<Restriction> written = List.of(
                restriction("ldap", "This account is not allowed to send", "compromised", Map.of(), null),
                // Non-ASCII, and a character outside the BMP (a surrogate pair).
                restriction("abuse", "Konto gesperrt – bitte abuse@example.org kontaktieren \uD83D\uDEAB",
                        "naïve spam", origin, Instant.parse("2027-01-01T00:00:00Z")));
        byte[] value = RestrictionBinary.encode(written);
        assertThat(RestrictionBinary.decode(Kind.SENDER, SUBJECT, value)).isEqualTo(written);
    }

    @Test
    void shouldReportEveryTruncationAsACorruptValue() {
        byte[] value = RestrictionBinary.encode(List.of(
                restriction("ldap", "é – not ASCII", "reason", Map.of("entryId", "x"),
                        Instant.parse("2027-01-01T00:00:00Z"))));
        for (int length = 0; length < value.length; length++) {
            byte[] cut = Arrays.copyOf(value, length);
            assertThatThrownBy(() -> RestrictionBinary.decode(Kind.SENDER, SUBJECT, cut))
                    .as("cut to %d of %d bytes", length, value.length)
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("sender|user@example.org")
                    .hasMessageContaining("corrupt");
        }
    }

    @Test
    void shouldRefuseAnotherFormatVersionByName() {
        byte[] value = RestrictionBinary.encode(List.of(restriction("ldap", null, null, Map.of(), null)));
        value[0] = 7;
        assertThatThrownBy(() -> RestrictionBinary.decode(Kind.SENDER, SUBJECT, value))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("has format 7, this build reads 1");
    }

    @Test
    void shouldReportBadModifiedUtf8AsACorruptValue() throws IOException {
        byte[] value = RestrictionBinary.encode(List.of(restriction("ldap", null, null, Map.of(), null)));
        // The source string "ldap" starts at byte 3 (version, count, length): make its first byte a lone
        // continuation byte, which no UTF-8 decoder accepts.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DataOutputStream(bytes).writeUTF("ldap");
        assertThat(Arrays.copyOfRange(value, 3, 3 + bytes.size())).isEqualTo(bytes.toByteArray());
        value[5] = (byte) 0x80;
        assertThatThrownBy(() -> RestrictionBinary.decode(Kind.SENDER, SUBJECT, value))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("corrupt");
    }
}
