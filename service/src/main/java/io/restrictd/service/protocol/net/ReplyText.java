package io.restrictd.service.protocol.net;

/** Makes text safe to put in a one-line protocol reply. */
public final class ReplyText {
    private ReplyText() {
    }

    /**
     * {@code text} with every control character (CR and LF included) replaced by a space, stripped,
     * and cut at a character boundary so its UTF-8 form is at most {@code maxBytes} long. Null becomes "".
     */
    public static String singleLine(String text, int maxBytes) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxBytes));
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029) {
                cp = ' ';
            }
            int size = utf8Length(cp);
            if (bytes + size > maxBytes) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += size;
        }
        return out.toString().strip();
    }

    /** {@code text} made single-line and cut to about {@code maxChars} characters, for echoing input. */
    public static String excerpt(String text, int maxChars) {
        String line = singleLine(text, Integer.MAX_VALUE);
        if (line.length() <= maxChars) {
            return line;
        }
        int cut = Character.isHighSurrogate(line.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return line.substring(0, cut) + "...";
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
}
