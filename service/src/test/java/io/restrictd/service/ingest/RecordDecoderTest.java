package io.restrictd.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.EventCodec;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.service.store.Change;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {
    private final EventCodec codec = new EventCodec();
    private final RecordDecoder decoder = new RecordDecoder(codec);
    private final Restriction restriction = new Restriction(new RestrictionKey("ldap", Kind.SENDER, "u@example.org"),
            AccessAction.parse("REJECT no"), null, Map.of(), null, null, Instant.parse("2026-11-25T00:00:00Z"), null);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldDecodeAPutForItsOwnKey() {
        Change change = decoder.decode(utf8("ldap|sender|u@example.org"), codec.encode(restriction));
        assertThat(change).isEqualTo(new Change.Put(restriction));
    }

    @Test
    void shouldDecodeATombstoneAsALift() {
        assertThat(decoder.decode(utf8("abuse|login|alice"), null))
                .isEqualTo(new Change.Lift(new RestrictionKey("abuse", Kind.LOGIN, "alice")));
    }

    @Test
    void shouldRejectAValueUnderAnotherKey() {
        assertThatThrownBy(() -> decoder.decode(utf8("abuse|sender|u@example.org"), codec.encode(restriction)))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("key:");
    }

    @Test
    void shouldRejectKeysNotInNormalFormEvenForTombstones() {
        assertThatThrownBy(() -> decoder.decode(utf8("ldap|sender|U@Example.org"), null))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("normal form");
    }

    @Test
    void shouldRejectMissingAndMalformedKeys() {
        assertThatThrownBy(() -> decoder.decode(null, null)).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> decoder.decode(utf8("just-a-string"), null)).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> decoder.decode(new byte[] {'l', '|', 's', (byte) 0xC3, '|', 'x'}, null))
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void shouldRejectValuesThatAreNotEvents() {
        assertThatThrownBy(() -> decoder.decode(utf8("ldap|sender|u@example.org"), utf8("not json")))
                .isInstanceOf(InvalidEventException.class);
    }
}
