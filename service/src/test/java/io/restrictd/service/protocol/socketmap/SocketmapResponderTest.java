package io.restrictd.service.protocol.socketmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.Kind;
import io.restrictd.service.core.Answer;
import io.restrictd.service.protocol.FakeLookup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketmapResponderTest {
    private static String ask(SocketmapResponder responder, String request) {
        return responder.respond(request.getBytes(StandardCharsets.UTF_8)).render();
    }

    @Test
    void shouldMapAnswersToSocketmapReplies() {
        SocketmapResponder responder = new SocketmapResponder((kind, key) -> switch (key) {
            case "r" -> FakeLookup.restricted(kind, "r@x", "REJECT no");
            case "u" -> new Answer.Unavailable("catching up");
            default -> Answer.NOT_RESTRICTED;
        }, SocketmapResponder.defaultMaps());
        assertThat(ask(responder, "sender r")).isEqualTo("OK REJECT no");
        assertThat(ask(responder, "sender n")).isEqualTo("NOTFOUND ");
        assertThat(ask(responder, "sender u")).isEqualTo("TEMP catching up");
    }

    @Test
    void shouldPassKindAndRawKeyToTheLookup() {
        List<String> asked = new ArrayList<>();
        SocketmapResponder responder = new SocketmapResponder((kind, key) -> {
            asked.add(kind + "|" + key);
            return Answer.NOT_RESTRICTED;
        }, SocketmapResponder.defaultMaps());
        ask(responder, "sender User+Ext@Example.ORG");
        ask(responder, "login some user");
        ask(responder, "sender ");
        assertThat(asked).containsExactly("sender|User+Ext@Example.ORG", "login|some user", "sender|");
    }

    @Test
    void shouldUseConfiguredMapNames() {
        SocketmapResponder responder = new SocketmapResponder(
                (kind, key) -> FakeLookup.restricted(kind, "k", kind == Kind.LOGIN ? "HOLD login" : "HOLD sender"),
                Map.of("from", Kind.SENDER, "sasl", Kind.LOGIN));
        assertThat(ask(responder, "from k")).isEqualTo("OK HOLD sender");
        assertThat(ask(responder, "sasl k")).isEqualTo("OK HOLD login");
        assertThat(ask(responder, "sender k")).isEqualTo("PERM unknown map 'sender'");
    }

    @Test
    void shouldRefuseMalformedRequestsWithoutAskingTheLookup() {
        FakeLookup lookup = new FakeLookup();
        SocketmapResponder responder = new SocketmapResponder(lookup, SocketmapResponder.defaultMaps());
        assertThat(ask(responder, "nospace")).startsWith("PERM malformed request");
        assertThat(ask(responder, "")).startsWith("PERM malformed request");
        assertThat(responder.respond(new byte[] {'s', 'e', 'n', 'd', 'e', 'r', ' ', (byte) 0xc3, '(',}).render())
                .isEqualTo("PERM request is not valid UTF-8");
        assertThat(lookup.asked).isEmpty();
    }

    @Test
    void shouldKeepRepliesOnOneLineAndUnderPostfixLimit() {
        SocketmapResponder responder = new SocketmapResponder(
                (kind, key) -> new Answer.Unavailable("line one\r\nline two " + "x".repeat(200_000)),
                SocketmapResponder.defaultMaps());
        String reply = ask(responder, "sender a");
        assertThat(reply).startsWith("TEMP line one  line two xxx").doesNotContain("\r", "\n");
        assertThat(reply.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SocketmapLimits.MAX_REPLY_BYTES);
        assertThat(ask(responder, "a\u0000b\u0007c key")).isEqualTo("PERM unknown map 'a b c'");
        assertThat(ask(responder, "y".repeat(1000) + " key")).hasSizeLessThan(100);
    }

    @Test
    void shouldNeverReplyEmptyTemp() {
        SocketmapResponder responder =
                new SocketmapResponder((kind, key) -> new Answer.Unavailable(null), SocketmapResponder.defaultMaps());
        assertThat(ask(responder, "sender a")).isEqualTo("TEMP temporarily unavailable");
    }
}
