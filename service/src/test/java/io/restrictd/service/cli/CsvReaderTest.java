package io.restrictd.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
    private static List<CsvReader.Record> all(String text) {
        CsvReader reader = new CsvReader(text);
        List<CsvReader.Record> out = new ArrayList<>();
        for (CsvReader.Record r = reader.next(); r != null; r = reader.next()) {
            out.add(r);
        }
        return out;
    }

    @Test
    void shouldSplitPlainFields() {
        assertThat(all("a,b,c\nd,e,f\n")).extracting(CsvReader.Record::fields)
                .containsExactly(List.of("a", "b", "c"), List.of("d", "e", "f"));
    }

    @Test
    void shouldKeepEmptyFieldsIncludingTrailingOnes() {
        assertThat(all("a,,\n,b,\n")).extracting(CsvReader.Record::fields)
                .containsExactly(List.of("a", "", ""), List.of("", "b", ""));
    }

    @Test
    void shouldReadQuotedFieldsWithCommasAndDoubledQuotes() {
        CsvReader.Record r = all("sender,\"REJECT No, really \"\"no\"\"\",x\n").get(0);
        assertThat(r.fields()).containsExactly("sender", "REJECT No, really \"no\"", "x");
        assertThat(r.ok()).isTrue();
    }

    @Test
    void shouldReadLineBreaksInsideQuotesAndCountLinesAcrossThem() {
        List<CsvReader.Record> rs = all("h\n\"two\nlines\",x\r\n\"three\r\nlines\r\nhere\"\nlast\n");
        assertThat(rs).extracting(CsvReader.Record::line).containsExactly(1, 2, 4, 7);
        assertThat(rs.get(1).fields()).containsExactly("two\nlines", "x");
        assertThat(rs.get(2).fields()).containsExactly("three\r\nlines\r\nhere");
    }

    @Test
    void shouldAcceptCrlfLfAndCrLineEndsAndNoFinalLineEnd() {
        assertThat(all("a\r\nb\nc\rd")).extracting(r -> r.fields().get(0) + "@" + r.line())
                .containsExactly("a@1", "b@2", "c@3", "d@4");
    }

    @Test
    void shouldSkipAByteOrderMark() {
        assertThat(all("\uFEFFkind,subject\n").get(0).fields()).containsExactly("kind", "subject");
    }

    @Test
    void shouldSkipBlankLinesButCountThem() {
        List<CsvReader.Record> rs = all("a\n\n\r\n\nb\n\n");
        assertThat(rs).extracting(r -> r.fields().get(0) + "@" + r.line()).containsExactly("a@1", "b@5");
    }

    @Test
    void shouldReadAnEmptyQuotedFieldAsEmpty() {
        assertThat(all("\"\",\"\"\n").get(0).fields()).containsExactly("", "");
    }

    @Test
    void shouldReportAQuoteInsideAnUnquotedFieldAndGoOnAtTheNextLine() {
        List<CsvReader.Record> rs = all("a,b\"c,d\nnext,ok\n");
        assertThat(rs.get(0).error()).isEqualTo(
                "field 2: quote inside an unquoted field (quote the whole field and double the quotes inside it)");
        assertThat(rs.get(1)).isEqualTo(new CsvReader.Record(2, List.of("next", "ok"), null));
    }

    @Test
    void shouldReportTextAfterAClosingQuote() {
        List<CsvReader.Record> rs = all("\"a\"b,c\nx\n");
        assertThat(rs.get(0).error()).isEqualTo("field 1: text after the closing quote");
        assertThat(rs.get(1).fields()).containsExactly("x");
        assertThat(rs.get(1).line()).isEqualTo(2);
    }

    @Test
    void shouldReportAnUnterminatedQuoteOnTheLineItOpened() {
        List<CsvReader.Record> rs = all("h\nok\nx,\"never\nclosed\nat all\n");
        assertThat(rs).hasSize(3);
        assertThat(rs.get(2).line()).isEqualTo(3);
        assertThat(rs.get(2).error()).isEqualTo("field 2: quote opened on line 3 is never closed");
    }

    @Test
    void shouldReturnNothingForEmptyInput() {
        assertThat(all("")).isEmpty();
        assertThat(all("\uFEFF")).isEmpty();
        assertThat(all("\n\r\n")).isEmpty();
    }
}
