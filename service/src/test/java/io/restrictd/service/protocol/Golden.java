package io.restrictd.service.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden request⇥reply files: one case per line, the request and the expected reply separated by a
 * TAB. Escapes: {@code \n}, {@code \r}, {@code \t}, {@code \\} and {@code \xNN} (a raw byte).
 * Lines starting with '#' and blank lines are ignored. Text is UTF-8.
 */
public final class Golden {
    /** One request and its expected reply, as bytes; {@code line} for messages. */
    public record Case(int line, byte[] request, byte[] reply) {
        public String replyText() {
            return new String(reply, StandardCharsets.UTF_8);
        }
    }

    private Golden() {
    }

    public static List<Case> load(String resource) {
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Case> cases = new ArrayList<>();
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                if (tab < 0 || line.indexOf('\t', tab + 1) >= 0) {
                    throw new IllegalArgumentException(resource + ":" + (i + 1) + ": expected request<TAB>reply");
                }
                cases.add(new Case(i + 1, unescape(line.substring(0, tab)), unescape(line.substring(tab + 1))));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                int end = Character.isHighSurrogate(c) ? i + 2 : i + 1;
                out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e + " in " + s);
            }
        }
        return out.toByteArray();
    }

    /** Splits {@code stream} into chunks of {@code size} bytes (the last may be shorter). */
    public static List<byte[]> chunks(byte[] stream, int size) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < stream.length; i += size) {
            out.add(java.util.Arrays.copyOfRange(stream, i, Math.min(stream.length, i + size)));
        }
        return out;
    }
}
