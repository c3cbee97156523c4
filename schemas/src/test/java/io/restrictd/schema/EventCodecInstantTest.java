package io.restrictd.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link EventCodec#parseUtc}, the shortcut for dates as producers write them, against the general path. */
class EventCodecInstantTest {
    private static final Pattern DATE_TIME = schemaPattern();
    private static final Random RANDOM = new Random(20261202);

    @Test
    void shouldReadEveryInstantToStringWritesAsInstantParseDoes() {
        for (int i = 0; i < 200_000; i++) {
            long second = RANDOM.nextLong(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() + 1);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> RANDOM.nextInt(1000) * 1_000_000;
                case 2 -> RANDOM.nextInt(1_000_000) * 1000;
                default -> RANDOM.nextInt(1_000_000_000);
            };
            String text = Instant.ofEpochSecond(second, nanos).toString();
            assertThat(EventCodec.parseUtc(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void shouldReturnOnlyWhatTheSchemaAndInstantParseAgreeOn() {
        String alphabet = "0123456789-:.TtZz+ x";
        int parsed = 0;
        for (int i = 0; i < 300_000; i++) {
            char[] text = Instant.ofEpochSecond(RANDOM.nextLong(0, 4_000_000_000L), RANDOM.nextInt(1_000_000_000))
                    .toString().toCharArray();
            int end = i % 5 == 0 ? RANDOM.nextInt(text.length + 1) : text.length;
            for (int flips = 1 + RANDOM.nextInt(2); flips > 0; flips--) {
                text[RANDOM.nextInt(end == 0 ? 1 : end) % text.length] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
            }
            String s = new String(text, 0, end);
            Instant fast = EventCodec.parseUtc(s);
            if (fast != null) {
                parsed++;
                assertThat(DATE_TIME.matcher(s).find()).as("'%s' matches the schema's pattern", s).isTrue();
                assertThat(fast).as(s).isEqualTo(Instant.parse(s));
            }
        }
        assertThat(parsed).as("mutated dates the shortcut read").isGreaterThan(10_000);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2026-02-30T12:00:00Z", "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-01-01T24:00:00Z", "2026-01-01T12:60:00Z", "2026-06-30T23:59:60Z", "2026-01-01T12:00:00+01:00",
            "2026-01-01T12:00:00.Z", "2026-01-01T12:00:00.1234567890Z", "2026-01-01 12:00:00Z", "+2026-01-01T12:00:00Z",
            "2026-01-01T12:00:00"})
    void shouldLeaveEverythingElseToTheGeneralPath(String text) {
        assertThat(EventCodec.parseUtc(text)).isNull();
    }

    @Test
    void shouldReadLeapYearsAndLowerCaseSeparators() {
        assertThat(EventCodec.parseUtc("2024-02-29t23:59:59.5z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.500Z"));
        assertThat(EventCodec.parseUtc("2000-02-29T00:00:00Z")).isEqualTo(Instant.parse("2000-02-29T00:00:00Z"));
    }

    private static Pattern schemaPattern() {
        try {
            return Pattern.compile(new ObjectMapper().readTree(JsonSchemas.resourceText(JsonSchemas.RESTRICTION))
                    .at("/$defs/dateTime/pattern").textValue());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
