package io.restrictd.syncer.position;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyncPositionTest {
    @Test
    void shouldRoundTripCookie() {
        SyncPosition p = new SyncPosition("rid=000,csn=20250101000000.000000Z#000000#000#000000"
                .getBytes(StandardCharsets.US_ASCII), "syncrepl", Instant.parse("2025-01-01T00:00:00Z"));

        assertThat(SyncPosition.decode(p.encode())).isEqualTo(p);
        assertThat(new String(p.encode(), StandardCharsets.UTF_8)).contains("\"mode\":\"syncrepl\"");
    }

    @Test
    void shouldRoundTripMarkerWithoutCookie() {
        SyncPosition p = new SyncPosition(null, "poll", Instant.parse("2025-01-01T00:00:00Z"));

        SyncPosition back = SyncPosition.decode(p.encode());
        assertThat(back.hasCookie()).isFalse();
        assertThat(back).isEqualTo(p);
    }

    @Test
    void shouldRejectGarbage() {
        assertThatThrownBy(() -> SyncPosition.decode("nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
