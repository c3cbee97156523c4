package io.restrictd.schema;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding, for text whose bytes must be what they say: record keys, lookup requests. */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * Decodes well-formed UTF-8 and nothing else (a lenient decode turns bad bytes into U+FFFD, and so one key into
     * another). All-ASCII input, nearly every request and key, is copied as it is, without a decoder.
     *
     * @throws CharacterCodingException if the bytes are not well-formed UTF-8
     */
    public static String decodeStrict(byte[] bytes) throws CharacterCodingException {
        for (byte b : bytes) {
            if (b < 0) {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            }
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
