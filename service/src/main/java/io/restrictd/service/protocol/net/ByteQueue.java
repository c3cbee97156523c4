package io.restrictd.service.protocol.net;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The unconsumed input of a sans-IO decoder: bytes are appended at the end and consumed from the
 * front; indexes are relative to the front. Grows as needed and compacts instead of growing when it
 * can, so a decoder that consumes what it parses keeps it bounded. Not thread-safe.
 */
public final class ByteQueue {
    /** A starting capacity for a queue per connection: requests are short, and most connections idle. */
    public static final int SMALL = 256;

    private byte[] buf;
    private int start;
    private int end;

    public ByteQueue(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public void append(byte[] bytes, int off, int len) {
        ensureRoom(len);
        System.arraycopy(bytes, off, buf, end, len);
        end += len;
    }

    /** Appends every remaining byte of {@code bytes}. */
    public void append(ByteBuffer bytes) {
        int len = bytes.remaining();
        ensureRoom(len);
        bytes.get(buf, end, len);
        end += len;
    }

    public int size() {
        return end - start;
    }

    public byte get(int index) {
        return buf[start + index];
    }

    /** The index of the first {@code b} at or after {@code from}, or -1. */
    public int indexOf(byte b, int from) {
        for (int i = start + from; i < end; i++) {
            if (buf[i] == b) {
                return i - start;
            }
        }
        return -1;
    }

    /** A copy of the bytes from {@code from} (inclusive) to {@code to} (exclusive). */
    public byte[] copy(int from, int to) {
        return Arrays.copyOfRange(buf, start + from, start + to);
    }

    /** Consumes {@code n} bytes from the front. */
    public void skip(int n) {
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    private void ensureRoom(int len) {
        if (end + len <= buf.length) {
            return;
        }
        int used = end - start;
        byte[] target = used + len <= buf.length ? buf : new byte[Math.max(buf.length * 2, used + len)];
        System.arraycopy(buf, start, target, 0, used);
        buf = target;
        start = 0;
        end = used;
    }
}
