package io.restrictd.service.protocol.socketmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetstringDecoderTest {
    private final NetstringDecoder decoder = new NetstringDecoder(16);

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        decoder.feed(b, 0, b.length);
    }

    private String next() throws NetstringException {
        byte[] b = decoder.next();
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldDecodeEmptyNetstring() throws Exception {
        feed("0:,");
        assertThat(next()).isEmpty();
        assertThat(next()).isNull();
        assertThat(decoder.hasPartial()).isFalse();
    }

    @Test
    void shouldDecodeSeveralNetstringsFedAtOnce() throws Exception {
        feed("3:abc,0:,5:a b,c,");
        assertThat(next()).isEqualTo("abc");
        assertThat(next()).isEmpty();
        assertThat(next()).isEqualTo("a b,c");
        assertThat(next()).isNull();
    }

    @Test
    void shouldWaitForTheWholeNetstringFedByteByByte() throws Exception {
        String frame = "12:sender a@b.c,";
        for (int i = 0; i < frame.length() - 1; i++) {
            feed(frame.substring(i, i + 1));
            assertThat(next()).isNull();
            assertThat(decoder.hasPartial()).isTrue();
        }
        feed(",");
        assertThat(next()).isEqualTo("sender a@b.c");
        assertThat(decoder.hasPartial()).isFalse();
    }

    @Test
    void shouldAcceptPayloadOfExactlyMaxLength() throws Exception {
        feed("16:0123456789abcdef,");
        assertThat(next()).isEqualTo("0123456789abcdef");
    }

    @Test
    void shouldFeedFromByteBuffer() throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap("xx3:abc,".getBytes(StandardCharsets.US_ASCII));
        buffer.position(2);
        decoder.feed(buffer);
        assertThat(buffer.hasRemaining()).isFalse();
        assertThat(next()).isEqualTo("abc");
    }

    @Test
    void shouldKeepBinaryPayloadIntact() throws Exception {
        byte[] frame = {'2', ':', (byte) 0xff, 0, ','};
        decoder.feed(frame, 0, frame.length);
        assertThat(decoder.next()).containsExactly((byte) 0xff, 0);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "03:abc,          | LEADING_ZERO",
        "00:,             | LEADING_ZERO",
        "17:              | TOO_LONG",
        "99999999999999999999999:| TOO_LONG",
        "3:abcd           | MISSING_COMMA",
        "3:abc;           | MISSING_COMMA",
        ":abc,            | BAD_LENGTH",
        "x:abc,           | BAD_LENGTH",
        "3x               | BAD_LENGTH",
        "-3:abc,          | BAD_LENGTH",
        "' 3:abc,'        | BAD_LENGTH",
        "GET / HTTP/1.1   | BAD_LENGTH",
    })
    void shouldRefuseBadFraming(String input, NetstringException.Kind kind) {
        feed(input);
        assertThatThrownBy(decoder::next)
                .isInstanceOfSatisfying(NetstringException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    @Test
    void shouldRefuseHugeLengthBeforeBufferingAnyPayload() {
        feed("1000000:");
        assertThatThrownBy(decoder::next).isInstanceOf(NetstringException.class).hasMessageContaining("longer than 16");
    }

    @Test
    void shouldStayFailedAfterFramingError() throws Exception {
        feed("3:abc,x");
        assertThat(next()).isEqualTo("abc");
        assertThatThrownBy(decoder::next).isInstanceOf(NetstringException.class);
        feed("3:abc,");
        assertThatThrownBy(decoder::next).isInstanceOf(NetstringException.class);
    }

    @Test
    void shouldStayBoundedWhenDrainedAfterEachFeed() throws Exception {
        NetstringDecoder big = new NetstringDecoder(4096);
        byte[] frame = NetstringEncoder.encode("sender someone@example.org");
        for (int i = 0; i < 100_000; i++) {
            big.feed(frame, 0, frame.length);
            assertThat(big.next()).isNotNull();
        }
        assertThat(big.hasPartial()).isFalse();
    }

    @Test
    void shouldEncodeLengthInBytes() {
        assertThat(new String(NetstringEncoder.encode("NOTFOUND "), StandardCharsets.UTF_8)).isEqualTo("9:NOTFOUND ,");
        assertThat(new String(NetstringEncoder.encode("é"), StandardCharsets.UTF_8)).isEqualTo("2:é,");
        assertThat(new String(NetstringEncoder.encode(""), StandardCharsets.UTF_8)).isEqualTo("0:,");
    }
}
