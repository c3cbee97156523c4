package io.restrictd.service.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyTextTest {
    @Test
    void shouldReplaceControlCharactersAndStrip() {
        assertThat(ReplyText.singleLine(" a\r\nb\tc\u0000d\u2028e ", 100)).isEqualTo("a  b c d e");
        assertThat(ReplyText.singleLine(null, 100)).isEmpty();
    }

    @Test
    void shouldCutAtCharacterBoundaryWithinByteLimit() {
        String text = "é".repeat(10) + "😀";
        assertThat(ReplyText.singleLine(text, 5)).isEqualTo("éé");
        assertThat(ReplyText.singleLine(text, 23)).isEqualTo("é".repeat(10));
        assertThat(ReplyText.singleLine(text, 24)).isEqualTo(text);
        assertThat(ReplyText.singleLine("x".repeat(1000), 100).getBytes(StandardCharsets.UTF_8)).hasSize(100);
    }

    @Test
    void shouldShortenExcerpts() {
        assertThat(ReplyText.excerpt("abc", 5)).isEqualTo("abc");
        assertThat(ReplyText.excerpt("abcdefgh", 5)).isEqualTo("abcde...");
        assertThat(ReplyText.excerpt("abcd😀", 5)).isEqualTo("abcd...");
    }
}
