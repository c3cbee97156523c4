package io.restrictd.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessActionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '\t', nullValues = "-", textBlock = """
            REJECT This account is not allowed to send emails	REJECT	-	-	This account is not allowed to send emails	REJECT This account is not allowed to send emails
            reject text	REJECT	-	-	text	REJECT text
            '  Reject   spaced out  '	REJECT	-	-	spaced out	REJECT spaced out
            REJECT	REJECT	-	-	-	REJECT
            550 5.7.1 text	REJECT	550	5.7.1	text	550 5.7.1 text
            554 5.7.1	REJECT	554	5.7.1	-	554 5.7.1
            550 text	REJECT	550	-	text	550 text
            450 text	DEFER	450	-	text	450 text
            451 4.7.1 Try later	DEFER	451	4.7.1	Try later	451 4.7.1 Try later
            DEFER	DEFER	-	-	-	DEFER
            DEFER_IF_PERMIT Service unavailable	DEFER_IF_PERMIT	-	-	Service unavailable	DEFER_IF_PERMIT Service unavailable
            defer_if_permit	DEFER_IF_PERMIT	-	-	-	DEFER_IF_PERMIT
            DISCARD	DISCARD	-	-	-	DISCARD
            DISCARD spam run	DISCARD	-	-	spam run	DISCARD spam run
            HOLD	HOLD	-	-	-	HOLD
            HOLD for review	HOLD	-	-	for review	HOLD for review
            REJECT 550 looks like a code	REJECT	-	-	550 looks like a code	REJECT 550 looks like a code
            """)
    void shouldParseAndRender(String text, Verb verb, Integer code, String enhanced, String message, String rendered) {
        AccessAction action = AccessAction.parse(text);

        assertThat(action).isEqualTo(new AccessAction(verb, code, enhanced, message));
        assertThat(action.render()).isEqualTo(rendered);
        assertThat(AccessAction.parse(action.render())).as("render parses back").isEqualTo(action);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '\t', textBlock = """
            OK	action:
            DUNNO	action:
            PERMIT	action:
            250 ok	action:
            650 nope	action:
            550 4.7.1 mismatch	enhancedCode:
            450 5.7.1 mismatch	enhancedCode:
            550 2.0.0 success?	enhancedCode:
            ''	action:
            '   '	action:
            """)
    void shouldRejectInvalidActions(String text, String field) {
        assertThatThrownBy(() -> AccessAction.parse(text))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(field);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"REJECT text\r\nRCPT TO:<x@example.org>", "REJECT a\nb", "REJECT a\rb", "REJECT a\tb",
            "550 text\u0000", "REJECT a\u0085b", "REJECT a\u007fb"})
    void shouldRejectMessagesWithControlCharacters(String text) {
        assertThatThrownBy(() -> AccessAction.parse(text))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("message: control character");
    }

    @Test
    void shouldAcceptMessagesUpTo400CharactersAndNoMore() {
        assertThat(AccessAction.parse("REJECT " + "x".repeat(400)).message()).hasSize(400);
        assertThatThrownBy(() -> AccessAction.parse("REJECT " + "x".repeat(401)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("message: longer than 400 characters");
    }

    @Test
    void shouldCountMessageLengthInCodePointsAsJsonSchemaDoes() {
        String emoji = "\uD83D\uDEAB".repeat(400);

        assertThat(AccessAction.of(Verb.REJECT, emoji).message()).isEqualTo(emoji);
        assertThatThrownBy(() -> AccessAction.of(Verb.REJECT, emoji + "x"))
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void shouldTreatABlankMessageAsNone() {
        assertThat(AccessAction.of(Verb.HOLD, "   ").message()).isNull();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '\t', nullValues = "-", textBlock = """
            DISCARD	550	-	smtpCode:
            HOLD	450	-	smtpCode:
            DEFER_IF_PERMIT	450	-	smtpCode:
            REJECT	450	-	smtpCode:
            DEFER	550	-	smtpCode:
            REJECT	600	-	smtpCode:
            REJECT	399	-	smtpCode:
            REJECT	-	5.7.1	enhancedCode:
            REJECT	550	4.7.1	enhancedCode:
            REJECT	550	5.7	enhancedCode:
            REJECT	550	5.7.1.2	enhancedCode:
            DEFER	450	4.1234.1	enhancedCode:
            """)
    void shouldRejectCodesThatDoNotFitTheVerb(Verb verb, Integer code, String enhanced, String field) {
        assertThatThrownBy(() -> new AccessAction(verb, code, enhanced, null))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(field);
    }

    @Test
    void shouldRejectMissingVerb() {
        assertThatThrownBy(() -> new AccessAction(null, null, null, "x"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("action:");
    }

    @Test
    void shouldOrderSeverityRejectThenDeferThenDiscardThenHold() {
        List<Verb> bySeverity = Arrays.stream(Verb.values())
                .sorted(Comparator.comparingInt(Verb::severity).reversed()).toList();

        assertThat(bySeverity).containsExactly(Verb.REJECT, Verb.DEFER, Verb.DEFER_IF_PERMIT, Verb.DISCARD, Verb.HOLD);
        assertThat(Verb.DEFER.severity()).isEqualTo(Verb.DEFER_IF_PERMIT.severity());
        assertThat(AccessAction.parse("550 x").severity()).isGreaterThan(AccessAction.parse("450 x").severity());
        assertThat(AccessAction.parse("450 x").severity()).isGreaterThan(AccessAction.parse("DISCARD").severity());
        assertThat(AccessAction.parse("DISCARD").severity()).isGreaterThan(AccessAction.parse("HOLD").severity());
    }
}
