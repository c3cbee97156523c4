package io.restrictd.service.protocol.socketmap;

import io.restrictd.service.protocol.net.ByteQueue;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * A sans-IO netstring decoder: {@link #feed} it bytes as they arrive, then call {@link #next} until it
 * returns null. A payload longer than {@code maxLength} is refused as soon as its length prefix shows
 * it, before any of it is buffered.
 *
 * <p>Memory is bounded by {@code maxLength} plus the bytes of one {@code feed}, provided the caller
 * drains {@link #next} after every feed. After a {@link NetstringException} the decoder stays failed:
 * every later {@link #next} throws the same error.
 *
 * <p>Not thread-safe: one decoder per connection.
 */
public final class NetstringDecoder {
    private final int maxLength;
    private final ByteQueue in;
    private NetstringException failure;

    /** @param maxLength the largest payload accepted, in bytes */
    public NetstringDecoder(int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative: " + maxLength);
        }
        this.maxLength = maxLength;
        // Small at first: thousands of connections sit idle; the queue grows to what a client sends.
        this.in = new ByteQueue(Math.min(maxLength + 16, ByteQueue.SMALL));
    }

    public void feed(byte[] bytes, int off, int len) {
        in.append(bytes, off, len);
    }

    /** Consumes every remaining byte of {@code bytes}. */
    public void feed(ByteBuffer bytes) {
        in.append(bytes);
    }

    /** True if part of a netstring is buffered: a request has started but not completed. */
    public boolean hasPartial() {
        return in.size() > 0;
    }

    /**
     * The next complete payload, or null if more bytes are needed.
     *
     * @throws NetstringException if the stream is not a sequence of netstrings of at most maxLength
     */
    public byte[] next() throws NetstringException {
        if (failure != null) {
            throw failure;
        }
        try {
            return decode();
        } catch (NetstringException e) {
            failure = e;
            throw e;
        }
    }

    private byte[] decode() throws NetstringException {
        int size = in.size();
        int i = 0;
        long length = 0;
        while (i < size && in.get(i) != ':') {
            byte b = in.get(i);
            if (b < '0' || b > '9') {
                throw new NetstringException(NetstringException.Kind.BAD_LENGTH,
                        "netstring length is not a decimal number (byte 0x"
                                + String.format(Locale.ROOT, "%02x", b & 0xff) + ")");
            }
            if (i > 0 && in.get(0) == '0') {
                throw new NetstringException(NetstringException.Kind.LEADING_ZERO,
                        "netstring length has a leading zero");
            }
            length = length * 10 + (b - '0');
            if (length > maxLength) {
                throw new NetstringException(NetstringException.Kind.TOO_LONG,
                        "netstring longer than " + maxLength + " bytes");
            }
            i++;
        }
        if (i == size) {
            return null; // the length prefix is not complete yet
        }
        if (i == 0) {
            throw new NetstringException(NetstringException.Kind.BAD_LENGTH, "netstring length is empty");
        }
        int payload = i + 1;
        int comma = payload + (int) length;
        if (comma >= size) {
            return null;
        }
        if (in.get(comma) != ',') {
            throw new NetstringException(NetstringException.Kind.MISSING_COMMA,
                    "netstring payload not followed by ','");
        }
        byte[] out = in.copy(payload, comma);
        in.skip(comma + 1);
        return out;
    }
}
