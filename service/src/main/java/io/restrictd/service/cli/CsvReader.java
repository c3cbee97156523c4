package io.restrictd.service.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 CSV reader over text already in memory: comma-separated fields, records ended by
 * CRLF, LF or CR, fields optionally in double quotes, where a quoted field may hold commas, line
 * breaks and doubled quotes ({@code ""}). A leading byte-order mark is skipped; blank lines are
 * skipped, not read as a record with one empty field.
 *
 * <p>Malformed records do not stop the reader: a stray quote in an unquoted field or text after a
 * closing quote yields a record carrying an {@link Record#error() error}, and reading resumes at
 * the next line, so a caller can report every bad line at once. An unterminated quote swallows the
 * rest of the input, which is reported as one error on the line where the quote opened.
 *
 * <p>Not thread-safe.
 */
public final class CsvReader {
    private final String text;
    private int pos;
    private int line = 1;

    /**
     * One record.
     *
     * @param line   the line the record starts on, 1-based, counting every line break in the input
     * @param fields the fields, unquoted; partial if {@code error} is set
     * @param error  what is wrong with the record, or null
     */
    public record Record(int line, List<String> fields, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    public CsvReader(String text) {
        this.text = text;
        this.pos = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
    }

    /** The next record, or null at the end of the input. */
    public Record next() {
        skipBlankLines();
        if (pos >= text.length()) {
            return null;
        }
        int start = line;
        List<String> fields = new ArrayList<>();
        while (true) {
            String error = pos < text.length() && text.charAt(pos) == '"'
                    ? quoted(fields)
                    : unquoted(fields);
            if (error != null) {
                skipRestOfLine();
                return new Record(start, fields, error);
            }
            if (pos >= text.length()) {
                return new Record(start, fields, null);
            }
            char c = text.charAt(pos);
            if (c == ',') {
                pos++;
                continue;
            }
            endOfLine();
            return new Record(start, fields, null);
        }
    }

    /** Reads an unquoted field up to a comma, a line break or the end. */
    private String unquoted(List<String> fields) {
        int begin = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ',' || c == '\n' || c == '\r') {
                break;
            }
            if (c == '"') {
                return "field " + (fields.size() + 1) + ": quote inside an unquoted field"
                        + " (quote the whole field and double the quotes inside it)";
            }
            pos++;
        }
        fields.add(text.substring(begin, pos));
        return null;
    }

    /** Reads a quoted field; {@code pos} is on the opening quote. */
    private String quoted(List<String> fields) {
        int opened = line;
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) {
                fields.add(out.toString());
                return "field " + fields.size() + ": quote opened on line " + opened + " is never closed";
            }
            char c = text.charAt(pos);
            if (c == '"') {
                if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
                    out.append('"');
                    pos += 2;
                    continue;
                }
                pos++;
                break;
            }
            if (c == '\n' || (c == '\r' && (pos + 1 >= text.length() || text.charAt(pos + 1) != '\n'))) {
                line++;
            }
            out.append(c);
            pos++;
        }
        fields.add(out.toString());
        if (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ',' && c != '\n' && c != '\r') {
                return "field " + fields.size() + ": text after the closing quote";
            }
        }
        return null;
    }

    private void skipBlankLines() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != '\n' && c != '\r') {
                return;
            }
            endOfLine();
        }
    }

    private void skipRestOfLine() {
        while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
            pos++;
        }
        if (pos < text.length()) {
            endOfLine();
        }
    }

    /** Consumes one line break, CRLF, LF or CR, at {@code pos}. */
    private void endOfLine() {
        if (text.charAt(pos) == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
            pos++;
        }
        pos++;
        line++;
    }
}
