package io.restrictd.service.protocol.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restrictd.service.protocol.policy.PolicyRequestException.Kind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PolicyRequestParserTest {
    private PolicyRequestParser parser = new PolicyRequestParser(PolicyLimits.DEFAULTS);

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        parser.feed(b, 0, b.length);
    }

    private static Kind kindOf(Throwable e) {
        return ((PolicyRequestException) e).kind();
    }

    @Test
    void shouldParseManyRequestsFromOneStream() throws Exception {
        feed("request=smtpd_access_policy\nsender=a@b\n\nrequest=smtpd_access_policy\nsender=\nsasl_username=u\n\nreq");
        PolicyRequest first = parser.next();
        assertThat(first.attributes()).containsExactly(
                java.util.Map.entry("request", "smtpd_access_policy"), java.util.Map.entry("sender", "a@b"));
        PolicyRequest second = parser.next();
        assertThat(second.get("sender")).isEmpty();
        assertThat(second.get("sasl_username")).isEqualTo("u");
        assertThat(parser.next()).isNull();
        assertThat(parser.hasPartial()).isTrue();
        feed("uest=smtpd_access_policy\n\n");
        assertThat(parser.next().get("request")).isEqualTo("smtpd_access_policy");
        assertThat(parser.hasPartial()).isFalse();
    }

    @Test
    void shouldTolerateCrlf() throws Exception {
        feed("request=smtpd_access_policy\r\nsender=a@b\r\n\r\n");
        PolicyRequest request = parser.next();
        assertThat(request.get("request")).isEqualTo("smtpd_access_policy");
        assertThat(request.get("sender")).isEqualTo("a@b");
    }

    @Test
    void shouldKeepEverythingAfterTheFirstEquals() throws Exception {
        feed("ccert_subject=CN=x, O=y=z\nempty=\n\n");
        PolicyRequest request = parser.next();
        assertThat(request.get("ccert_subject")).isEqualTo("CN=x, O=y=z");
        assertThat(request.get("empty")).isEmpty();
    }

    @Test
    void shouldReplaceInvalidUtf8InValues() throws Exception {
        byte[] bytes = {'s', '=', (byte) 0xff, 'x', '\n', '\n'};
        parser.feed(bytes, 0, bytes.length);
        assertThat(parser.next().get("s")).isEqualTo("\ufffdx");
    }

    @Test
    void shouldSkipToEndOfRequestAfterLineWithoutEquals() throws Exception {
        feed("request=smtpd_access_policy\nno equals here\nsender=a@b\n\nrequest=smtpd_access_policy\n\n");
        assertThatThrownBy(parser::next).satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.MALFORMED_LINE))
                .hasMessage("line without '='");
        assertThat(parser.next().attributes()).containsOnlyKeys("request");
    }

    @Test
    void shouldRefuseDuplicateAttributeAndCarryOn() throws Exception {
        feed("sender=a@b\nsender=c@d\n\nsender=e@f\n\n");
        assertThatThrownBy(parser::next).satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.DUPLICATE_ATTRIBUTE));
        assertThat(parser.next().get("sender")).isEqualTo("e@f");
    }

    @Test
    void shouldRefuseAnEmptyName() {
        feed("=x\n\n");
        assertThatThrownBy(parser::next).satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.MALFORMED_LINE));
    }

    @Test
    void shouldFailForGoodOnLineTooLongEvenWithoutNewline() {
        parser = new PolicyRequestParser(new PolicyLimits(1000, 100, 10));
        feed("sender=" + "x".repeat(94));
        assertThatThrownBy(parser::next).satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.LINE_TOO_LONG));
        feed("\n\nsender=a\n\n");
        assertThatThrownBy(parser::next).satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.LINE_TOO_LONG));
    }

    @Test
    void shouldAcceptLineOfExactlyMaxLength() throws Exception {
        parser = new PolicyRequestParser(new PolicyLimits(1000, 100, 10));
        feed("sender=" + "x".repeat(93) + "\n\n");
        assertThat(parser.next().get("sender")).hasSize(93);
    }

    @Test
    void shouldFailOnRequestTooLong() {
        parser = new PolicyRequestParser(new PolicyLimits(100, 50, 100));
        for (int i = 0; i < 10; i++) {
            feed("a" + i + "=0123456789\n");
        }
        assertThatThrownBy(parser::next).satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.REQUEST_TOO_LONG));
    }

    @Test
    void shouldCountRequestBytesPerRequest() throws Exception {
        parser = new PolicyRequestParser(new PolicyLimits(100, 50, 100));
        for (int i = 0; i < 50; i++) {
            feed("sender=0123456789\n\n");
            assertThat(parser.next()).isNotNull();
        }
    }

    @Test
    void shouldFailOnTooManyAttributes() {
        parser = new PolicyRequestParser(new PolicyLimits(10_000, 50, 3));
        feed("a=1\nb=2\nc=3\nd=4\n\n");
        assertThatThrownBy(parser::next).satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.TOO_MANY_ATTRIBUTES));
        assertThatThrownBy(parser::next).satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.TOO_MANY_ATTRIBUTES));
    }

    @Test
    void shouldReturnEmptyRequestForLoneEmptyLine() throws Exception {
        feed("\n");
        assertThat(parser.next().attributes()).isEmpty();
    }
}
