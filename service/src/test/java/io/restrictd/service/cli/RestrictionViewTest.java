package io.restrictd.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.EventCodec;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestrictionViewTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private final EventCodec codec = new EventCodec();
    private final RestrictionView view = new RestrictionView(codec, "t");

    private static Restriction restriction(String source, Kind kind, String subject, String action, Instant expires) {
        return new Restriction(new RestrictionKey(source, kind, subject), AccessAction.parse(action), null, Map.of(),
                null, null, T0, expires);
    }

    private void put(Restriction r) {
        view.apply(0, 0, r.key().wire().getBytes(StandardCharsets.UTF_8), codec.encode(r));
    }

    private void tombstone(String key) {
        view.apply(0, 0, key.getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void shouldKeepTheLastValuePerKey() {
        put(restriction("abuse", Kind.SENDER, "a@example.org", "REJECT first", null));
        put(restriction("abuse", Kind.SENDER, "a@example.org", "REJECT second", null));
        assertThat(view.size()).isEqualTo(1);
        assertThat(view.get(new RestrictionKey("abuse", Kind.SENDER, "a@example.org")).action().message())
                .isEqualTo("second");
    }

    @Test
    void shouldRemoveKeysOnTombstonesAndLetALaterAddBringThemBack() {
        put(restriction("abuse", Kind.SENDER, "a@example.org", "REJECT x", null));
        tombstone("abuse|sender|a@example.org");
        assertThat(view.size()).isZero();
        put(restriction("abuse", Kind.SENDER, "a@example.org", "REJECT again", null));
        assertThat(view.size()).isEqualTo(1);
        assertThat(view.applied()).isEqualTo(3);
    }

    @Test
    void shouldKeepSourcesApartOnOneSubject() {
        put(restriction("ldap", Kind.SENDER, "a@example.org", "REJECT ldap", null));
        put(restriction("abuse", Kind.SENDER, "a@example.org", "REJECT abuse", null));
        put(restriction("abuse", Kind.LOGIN, "a@example.org", "REJECT login", null));
        tombstone("ldap|sender|a@example.org");
        assertThat(view.select(Kind.SENDER, null, "a@example.org", true, T0)).extracting(r -> r.key().wire())
                .containsExactly("abuse|sender|a@example.org");
    }

    @Test
    void shouldFilterByKindSourceAndExpiryAndSortByKindSubjectSource() {
        put(restriction("ldap", Kind.SENDER, "b@example.org", "REJECT x", null));
        put(restriction("abuse", Kind.SENDER, "b@example.org", "REJECT x", null));
        put(restriction("abuse", Kind.SENDER, "a@example.org", "REJECT x", T0.plusSeconds(60)));
        put(restriction("abuse", Kind.LOGIN, "z", "REJECT x", null));
        Instant later = T0.plusSeconds(61);
        assertThat(view.select(null, null, null, true, later)).extracting(r -> r.key().wire()).containsExactly(
                "abuse|sender|a@example.org", "abuse|sender|b@example.org", "ldap|sender|b@example.org",
                "abuse|login|z");
        assertThat(view.select(null, null, null, false, later)).extracting(r -> r.key().wire())
                .doesNotContain("abuse|sender|a@example.org");
        assertThat(view.select(Kind.SENDER, "abuse", null, true, later)).extracting(r -> r.key().wire())
                .containsExactly("abuse|sender|a@example.org", "abuse|sender|b@example.org");
    }

    @Test
    void shouldSkipAndReportBadRecordsThatAreTheLatestForTheirKey() {
        put(restriction("abuse", Kind.SENDER, "a@example.org", "REJECT x", null));
        view.apply(1, 7, "abuse|sender|a@example.org".getBytes(StandardCharsets.UTF_8),
                "{not json".getBytes(StandardCharsets.UTF_8));
        view.apply(2, 9, "no-pipes".getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
        view.apply(0, 1, null, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(view.select(null, null, null, true, T0)).isEmpty();
        assertThat(view.problems()).hasSize(3);
        // Keys are judged as records arrive (the one rule every reader applies), values when a query needs them.
        assertThat(view.problems().get(0)).isEqualTo("t-2@9: bad key: key: 'no-pipes' is not source|kind|subject");
        assertThat(view.problems().get(1)).isEqualTo("t-0@1: bad key: key: missing (records must be keyed"
                + " source|kind|subject)");
        assertThat(view.problems().get(2)).startsWith("t-1@7: key abuse|sender|a@example.org: value: not valid JSON");
    }

    @Test
    void shouldNotReportABadRecordThatALaterOneReplaced() {
        view.apply(0, 1, "abuse|sender|a@example.org".getBytes(StandardCharsets.UTF_8),
                "{not json".getBytes(StandardCharsets.UTF_8));
        put(restriction("abuse", Kind.SENDER, "a@example.org", "REJECT x", null));
        assertThat(view.select(null, null, null, true, T0)).hasSize(1);
        assertThat(view.problems()).isEmpty();
    }

    @Test
    void shouldRejectKeysNotInNormalForm() {
        Restriction r = restriction("abuse", Kind.SENDER, "a@example.org", "REJECT x", null);
        view.apply(0, 4, "abuse|sender|A@Example.org".getBytes(StandardCharsets.UTF_8), codec.encode(r));
        assertThat(view.select(null, null, null, true, T0)).isEmpty();
        assertThat(view.problems()).containsExactly(
                "t-0@4: bad key: key: 'abuse|sender|A@Example.org' is not in normal form (expected"
                + " 'abuse|sender|a@example.org')");
    }

    @Test
    void shouldDecodeOnlyWhatAQuerySelects() {
        put(restriction("abuse", Kind.SENDER, "a@example.org", "REJECT x", null));
        view.apply(1, 2, "abuse|sender|b@example.org".getBytes(StandardCharsets.UTF_8),
                "{not json".getBytes(StandardCharsets.UTF_8));
        assertThat(view.get(new RestrictionKey("abuse", Kind.SENDER, "a@example.org"))).isNotNull();
        assertThat(view.problems()).as("b was not asked for").isEmpty();
    }

    @Test
    void shouldDecodeLargeSelectionsInFileOrderOfProblems() {
        for (int i = 0; i < 5000; i++) {
            put(restriction("abuse", Kind.LOGIN, "user" + i, "REJECT x", null));
        }
        assertThat(view.select(Kind.LOGIN, "abuse", null, false, T0)).hasSize(5000)
                .first().extracting(r -> r.key().subject()).isEqualTo("user0");
    }

    @Test
    void shouldRejectAValueWhoseKeyDoesNotMatchTheRecordKey() {
        Restriction r = restriction("abuse", Kind.SENDER, "a@example.org", "REJECT x", null);
        view.apply(0, 3, "abuse|sender|b@example.org".getBytes(StandardCharsets.UTF_8), codec.encode(r));
        assertThat(view.select(null, null, null, true, T0)).isEmpty();
        assertThat(view.problems()).singleElement().asString().contains("does not match");
    }
}
