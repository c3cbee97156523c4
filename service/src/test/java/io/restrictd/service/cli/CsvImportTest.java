package io.restrictd.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.Kind;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.schema.Verb;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CsvImportTest {
    private static CsvImport.Result parse(String text) {
        return CsvImport.parse(text, "abuse", null);
    }

    @Test
    void shouldReadRowsWithNormalisedSubjectsAndQuotedActions() {
        CsvImport.Result r = parse("""
                kind,subject,action,reason
                sender,Spammer@EXAMPLE.org,"REJECT Suspended, talk to abuse@example.org",phishing
                login,Bob,DEFER try later,
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(r.rows()).hasSize(2);
        ImportRow first = r.rows().get(0);
        assertThat(first.line()).isEqualTo(2);
        assertThat(first.key()).isEqualTo(new RestrictionKey("abuse", Kind.SENDER, "spammer@example.org"));
        assertThat(first.action().render()).isEqualTo("REJECT Suspended, talk to abuse@example.org");
        assertThat(first.reason()).isEqualTo("phishing");
        assertThat(first.ttl()).isNull();
        ImportRow second = r.rows().get(1);
        assertThat(second.key().wire()).isEqualTo("abuse|login|bob");
        assertThat(second.action().verb()).isEqualTo(Verb.DEFER);
        assertThat(second.reason()).isNull();
    }

    @Test
    void shouldTakeColumnsInAnyOrderWithOptionalTtlAndTicket() {
        CsvImport.Result r = CsvImport.parse("""
                TTL,Ticket,reason,action,subject,kind\r
                7d,T-1,r,REJECT x,a@example.org,sender\r
                ,T-2,r,REJECT x,b@example.org,sender\r
                """, "abuse", Duration.ofHours(1));
        assertThat(r.errors()).isEmpty();
        assertThat(r.rows().get(0).ttl()).isEqualTo(Duration.ofDays(7));
        assertThat(r.rows().get(0).ticket()).isEqualTo("T-1");
        assertThat(r.rows().get(1).ttl()).as("empty cell: the default ttl").isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldReportEveryBadRowWithItsLineNumber() {
        CsvImport.Result r = parse("""
                kind,subject,action,reason,ttl
                sender,ok@example.org,REJECT x,,
                robot,a@example.org,REJECT x,,
                sender,,REJECT x,,
                sender,b@example.org,ACCEPT,,
                sender,c@example.org,REJECT x,,0s
                sender,"multi
                line@example.org",REJECT x,,
                sender,d@example.org,REJECT x
                sender,e@exa"mple.org,REJECT x,,
                """);
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).containsExactly(
                "line 3: kind: 'robot' is not a kind (expected sender or login)",
                "line 4: subject: missing",
                "line 5: action: unknown or non-restrictive action 'ACCEPT' (expected REJECT, DEFER,"
                        + " DEFER_IF_PERMIT, DISCARD, HOLD, 4NN or 5NN)",
                "line 6: ttl: '0s' is zero; a restriction must last a while (omit --ttl for no expiry)",
                "line 7: subject: whitespace or control character at position 5",
                "line 9: 3 fields, expected 5 (kind,subject,action,reason,ttl)",
                "line 10: field 2: quote inside an unquoted field (quote the whole field and double the quotes"
                        + " inside it)");
    }

    @Test
    void shouldReportDuplicateKeysWithBothLinesAfterNormalisation() {
        CsvImport.Result r = parse("""
                kind,subject,action,reason
                sender,dup@example.org,REJECT x,
                sender,other@example.org,REJECT x,
                login,dup@example.org,REJECT x,
                sender,DUP@Example.ORG,REJECT y,
                """);
        assertThat(r.errors()).containsExactly(
                "line 5: duplicate key abuse|sender|dup@example.org (first on line 2)");
    }

    @Test
    void shouldRejectAHeaderWithUnknownMissingOrRepeatedColumns() {
        assertThat(parse("kind,subject,action,comment\n").errors()).containsExactly(
                "line 1: header: unknown column 'comment' (expected kind, subject, action, reason, and optionally"
                        + " ttl, ticket)",
                "line 1: header: missing column 'reason'");
        assertThat(parse("kind,subject,action,reason,kind\n").errors()).containsExactly(
                "line 1: header: column 'kind' appears twice");
    }

    @Test
    void shouldRejectAnEmptyFileAndAHeaderWithoutRows() {
        assertThat(parse("").errors()).singleElement().asString().startsWith("line 1: empty file");
        assertThat(parse("\uFEFFkind,subject,action,reason\r\n").errors())
                .containsExactly("line 2: no rows after the header");
    }

    @Test
    void shouldRejectOverlongText() {
        String reason = "x".repeat(Fields.MAX_TEXT + 1);
        assertThat(parse("kind,subject,action,reason\nsender,a@example.org,REJECT x," + reason + "\n").errors())
                .containsExactly("line 2: reason: longer than 1000 characters");
    }
}
