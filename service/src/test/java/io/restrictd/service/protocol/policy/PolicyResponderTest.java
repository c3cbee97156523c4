package io.restrictd.service.protocol.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restrictd.schema.Kind;
import io.restrictd.service.core.Answer;
import io.restrictd.service.core.Lookup;
import io.restrictd.service.protocol.FakeLookup;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PolicyResponderTest {
    private static PolicyRequest request(String... nameValues) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("request", "smtpd_access_policy");
        for (int i = 0; i < nameValues.length; i += 2) {
            attributes.put(nameValues[i], nameValues[i + 1]);
        }
        return new PolicyRequest(attributes);
    }

    /** A lookup from a compact spec: "-" not restricted, "?" unavailable, else an action. */
    private static Lookup lookup(String senderSpec, String loginSpec) {
        return (kind, key) -> {
            String spec = kind == Kind.SENDER ? senderSpec : loginSpec;
            return switch (spec) {
                case "-" -> Answer.NOT_RESTRICTED;
                case "?" -> new Answer.Unavailable("not ready");
                default -> FakeLookup.restricted(kind, key, spec);
            };
        };
    }

    @ParameterizedTest(name = "sender {0}, login {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "-                    | -                        | DUNNO",
        "REJECT s             | -                        | REJECT s",
        "-                    | DEFER l                  | DEFER l",
        "DEFER s              | REJECT l                 | REJECT l",
        "REJECT s             | DEFER l                  | REJECT s",
        "HOLD s               | DISCARD l                | DISCARD l",
        "554 5.7.1 s          | REJECT l                 | 554 5.7.1 s",
        "DEFER s              | 450 4.7.1 l              | DEFER s",
        "DEFER_IF_PERMIT s    | DEFER l                  | DEFER_IF_PERMIT s",
        "?                    | -                        | DEFER_IF_PERMIT Service temporarily unavailable",
        "REJECT s             | ?                        | DEFER_IF_PERMIT Service temporarily unavailable",
    })
    void shouldPickTheMostSevereSenderFirstOnTie(String sender, String login, String action) {
        PolicyResponder responder = new PolicyResponder(lookup(sender, login), PolicyResponder.DEFAULT_NOT_READY_ACTION);
        assertThat(responder.respond(request("protocol_state", "RCPT", "sender", "a@b", "sasl_username", "u")))
                .isEqualTo("action=" + action + "\n\n");
    }

    @Test
    void shouldLookUpNullSenderAsEmptyAndSkipEmptyLogin() {
        FakeLookup lookup = new FakeLookup();
        new PolicyResponder(lookup, PolicyResponder.DEFAULT_NOT_READY_ACTION)
                .respond(request("protocol_state", "RCPT", "sender", "", "sasl_username", ""));
        assertThat(lookup.asked).containsExactly("sender|");
    }

    @Test
    void shouldNotLookUpEmptySenderBeforeMailFrom() {
        FakeLookup lookup = new FakeLookup();
        PolicyResponder responder = new PolicyResponder(lookup, PolicyResponder.DEFAULT_NOT_READY_ACTION);
        for (String state : new String[] {"CONNECT", "EHLO", "HELO", "VRFY", "ETRN"}) {
            assertThat(responder.respond(request("protocol_state", state, "sender", ""))).isEqualTo("action=DUNNO\n\n");
        }
        responder.respond(request("protocol_state", "EHLO", "sender", "x@y"));
        responder.respond(request("sender", "")); // no state: as Postfix sends at RCPT
        assertThat(lookup.asked).containsExactly("sender|x@y", "sender|");
    }

    @Test
    void shouldAnswerDunnoWithoutSenderOrLogin() {
        FakeLookup lookup = new FakeLookup();
        assertThat(new PolicyResponder(lookup, PolicyResponder.DEFAULT_NOT_READY_ACTION).respond(request()))
                .isEqualTo("action=DUNNO\n\n");
        assertThat(lookup.asked).isEmpty();
    }

    @Test
    void shouldUseConfiguredNotReadyAction() {
        PolicyResponder responder = new PolicyResponder(lookup("?", "-"), "451 4.3.0 restrictd starting");
        assertThat(responder.respond(request("sender", "a@b"))).isEqualTo("action=451 4.3.0 restrictd starting\n\n");
    }

    @Test
    void shouldRefuseNotReadyActionThatIsNotAnAccessAction() {
        assertThatThrownBy(() -> new PolicyResponder(lookup("-", "-"), "OK"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OK");
        assertThatThrownBy(() -> new PolicyResponder(lookup("-", "-"), ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAnswerMalformedForOtherRequestTypes() {
        FakeLookup lookup = new FakeLookup();
        PolicyResponder responder = new PolicyResponder(lookup, PolicyResponder.DEFAULT_NOT_READY_ACTION);
        Map<String, String> attributes = Map.of("request", "junk\r\naction=OK", "sender", "a@b");
        assertThat(responder.respond(new PolicyRequest(attributes))).isEqualTo(
                "action=DEFER_IF_PERMIT restrictd: malformed policy request: unsupported request type 'junk  action=OK'\n\n");
        assertThat(lookup.asked).isEmpty();
    }

    @Test
    void shouldKeepRestrictedActionOnOneLine() {
        Lookup lookup = (kind, key) -> new Answer.Restricted("REJECT a\nb", null);
        assertThat(new PolicyResponder(lookup, PolicyResponder.DEFAULT_NOT_READY_ACTION).respond(request("sender", "x")))
                .isEqualTo("action=REJECT a b\n\n");
    }
}
