package io.restrictd.service.protocol.socketmap;

import java.nio.charset.StandardCharsets;

/** Encodes netstrings ({@code <length>:<bytes>,}); the length counts bytes, not characters. */
public final class NetstringEncoder {
    private NetstringEncoder() {
    }

    /** The netstring of {@code text} encoded as UTF-8. */
    public static byte[] encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The netstring of {@code payload}. */
    public static byte[] encode(byte[] payload) {
        byte[] prefix = (payload.length + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + payload.length + 1];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(payload, 0, out, prefix.length, payload.length);
        out[out.length - 1] = ',';
        return out;
    }
}
