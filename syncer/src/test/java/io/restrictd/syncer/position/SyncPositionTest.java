package io.restrictd.syncer.position;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
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

    @Test
    void shouldShowAnAsciiCookieAsItIs() {
        String text = "rid=000,csn=20250101000000.000000Z#000000#000#000000";
        SyncPosition p = new SyncPosition(text.getBytes(StandardCharsets.US_ASCII), "syncrepl", Instant.EPOCH);

        assertThat(p.cookieText()).isEqualTo(text);
        assertThat(p.toString()).contains("cookie=" + text);
        assertThat(SyncPosition.UNKNOWN.cookieText()).isEqualTo("none");
    }

    @Test
    void shouldShowABinaryCookieAsLengthHashAndBase64PrefixNeverRawBytes() {
        byte[] dirsync = new byte[300];
        for (int i = 0; i < dirsync.length; i++) {
            dirsync[i] = (byte) (i * 7);
        }
        byte[] other = dirsync.clone();
        other[299] ^= 1;

        String text = new SyncPosition(dirsync, "dirsync", Instant.EPOCH).cookieText();

        assertThat(text).startsWith("300 bytes, sha256 ").contains(", base64 "
                + Base64.getEncoder().encodeToString(dirsync).substring(0, 24) + "...");
        assertThat(text).hasSizeLessThan(80).matches("[\\x20-\\x7e]+");
        assertThat(new SyncPosition(other, "dirsync", Instant.EPOCH).cookieText()).as("tells cookies apart")
                .isNotEqualTo(text);
        assertThat(new SyncPosition(new byte[] {'a', 0, 'b'}, "dirsync", Instant.EPOCH).cookieText())
                .as("a control character makes it binary").matches("3 bytes, sha256 [0-9a-f]{12}, base64 YQBi");
    }
}
