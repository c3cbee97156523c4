package io.restrictd.service.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The two lookup protocols as a client speaks them: how to encode a request, where a reply ends,
 * and whether a reply is the one the data set calls for.
 */
enum Protocol {
    /** Postfix socketmap: netstring {@code sender KEY}; reply netstring {@code OK data} or {@code NOTFOUND }. */
    SOCKETMAP("socketmap") {
        @Override
        byte[] request(String key) {
            String payload = "sender " + key;
            return (payload.getBytes(StandardCharsets.UTF_8).length + ":" + payload + ",")
                    .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        int replyEnd(byte[] buf, int len) throws IOException {
            int n = 0;
            int i = 0;
            for (; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
                n = n * 10 + buf[i] - '0';
            }
            if (i == len) {
                return -1;
            }
            if (i == 0 || buf[i] != ':') {
                throw new IOException("bad netstring reply: " + text(buf, len));
            }
            int end = i + 1 + n + 1;
            return len >= end ? end : -1;
        }

        @Override
        boolean correct(byte[] buf, int len, boolean restricted) {
            String reply = text(buf, len);
            String payload = reply.substring(reply.indexOf(':') + 1, reply.length() - 1);
            return restricted ? payload.equals("OK " + BenchData.ACTION) : payload.equals("NOTFOUND ");
        }
    },

    /** Postfix policy delegation: an attribute block; reply {@code action=...} and an empty line. */
    POLICY("policy") {
        @Override
        byte[] request(String key) {
            return ("request=smtpd_access_policy\nprotocol_state=RCPT\nsender=" + key + "\nsasl_username=\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        int replyEnd(byte[] buf, int len) {
            for (int i = 1; i < len; i++) {
                if (buf[i] == '\n' && buf[i - 1] == '\n') {
                    return i + 1;
                }
            }
            return -1;
        }

        @Override
        boolean correct(byte[] buf, int len, boolean restricted) {
            String reply = text(buf, len);
            return restricted ? reply.equals("action=" + BenchData.ACTION + "\n\n")
                    : reply.startsWith("action=DUNNO");
        }
    };

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static Protocol of(String label) {
        for (Protocol p : values()) {
            if (p.label.equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol " + label + " (socketmap or policy)");
    }

    abstract byte[] request(String key);

    /** The length of the complete reply at the start of {@code buf}, or -1 if more bytes are needed. */
    abstract int replyEnd(byte[] buf, int len) throws IOException;

    abstract boolean correct(byte[] buf, int len, boolean restricted);

    /** Reads one reply into {@code buf}; returns its length. One reply at a time: nothing is pipelined. */
    int readReply(InputStream in, byte[] buf) throws IOException {
        int len = 0;
        while (true) {
            int end = len == 0 ? -1 : replyEnd(buf, len);
            if (end >= 0) {
                if (end != len) {
                    throw new IOException("more bytes than one reply: " + text(buf, len));
                }
                return len;
            }
            if (len == buf.length) {
                throw new IOException("reply longer than " + buf.length + " bytes");
            }
            int r = in.read(buf, len, buf.length - len);
            if (r < 0) {
                throw new EOFException("server closed the connection");
            }
            len += r;
        }
    }

    static String text(byte[] buf, int len) {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }
}
