package io.restrictd.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void shouldDecodeAsciiAndOtherTextAsTheJdk() throws CharacterCodingException {
        for (String s : new String[] {"", "sender user@example.org", "a\u0000b\u007f", "jürgen@bücher.example",
                "\uD83D\uDEAB"}) {
            assertThat(Utf8.decodeStrict(s.getBytes(StandardCharsets.UTF_8))).isEqualTo(s);
        }
    }

    @Test
    void shouldRefuseWhatIsNotWellFormed() {
        byte[][] bad = {{(byte) 0x80}, {'a', (byte) 0xc3}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0,
                (byte) 0x80}, {(byte) 0xff, 'a'}};
        for (byte[] b : bad) {
            assertThatThrownBy(() -> Utf8.decodeStrict(b)).isInstanceOf(CharacterCodingException.class);
        }
    }

    @Test
    void shouldAgreeWithTheJdksStrictDecoderOnRandomBytes() {
        Random random = new Random(20261202);
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[random.nextInt(12)];
            for (int j = 0; j < b.length; j++) {
                b[j] = (byte) (i % 2 == 0 ? random.nextInt(0x80) : random.nextInt(256));
            }
            String expected;
            try {
                expected = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                expected = null;
            }
            String actual;
            try {
                actual = Utf8.decodeStrict(b);
            } catch (CharacterCodingException e) {
                actual = null;
            }
            assertThat(actual).isEqualTo(expected);
        }
    }
}
