package io.restrictd.service.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes what {@link DataOutputStream} would, into one growing array: the store's values
 * ({@link RestrictionBinary}) and log records ({@link CommitLog}), encoded for every change ingest applies, where
 * a {@link DataOutputStream} over a {@link ByteArrayOutputStream} took a lock and a call per byte (a sixth of the
 * ingest thread's time at 1M, profiled). Strings of ASCII without NUL (nearly every one) are copied as they are;
 * any other goes through {@link DataOutputStream#writeUTF}, so modified UTF-8 has one encoder.
 * {@code BinaryWriterTest} holds the bytes to {@link DataOutputStream}'s: stores written before hold those.
 * Not thread-safe.
 */
final class BinaryWriter {
    private byte[] b;
    private int size;

    BinaryWriter(int capacity) {
        b = new byte[Math.max(16, capacity)];
    }

    void writeByte(int v) {
        int at = claim(1); // claim first: it may replace b
        b[at] = (byte) v;
    }

    void writeBoolean(boolean v) {
        writeByte(v ? 1 : 0);
    }

    void writeShort(int v) {
        int at = claim(2);
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    void writeInt(int v) {
        int at = claim(4);
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    void writeUTF(String s) {
        int n = s.length();
        if (n <= 0xffff) {
            int at = claim(2 + n);
            int i = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c == 0 || c >= 0x80) {
                    break;
                }
                b[at + 2 + i] = (byte) c;
            }
            if (i == n) {
                b[at] = (byte) (n >>> 8);
                b[at + 1] = (byte) n;
                return;
            }
            size = at; // not ASCII: give the bytes back, the JDK encodes it
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2 + 3 * n);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(s); // throws for more than 65535 encoded bytes, as before
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot store a string of " + n + " characters: " + e.getMessage(), e);
        }
        byte[] utf = bytes.toByteArray();
        int at = claim(utf.length); // before reading b: claiming may replace it
        System.arraycopy(utf, 0, b, at, utf.length);
    }

    void write(byte[] bytes) {
        int at = claim(bytes.length);
        System.arraycopy(bytes, 0, b, at, bytes.length);
    }

    int size() {
        return size;
    }

    /** Starts over, keeping the array: a writer used for one record after another. */
    void reset() {
        size = 0;
    }

    /** What was written, without a copy: valid until the next write or {@link #reset}. */
    ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(b, 0, size);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(b, size);
    }

    /** Makes room for {@code n} more bytes and returns where they start. */
    private int claim(int n) {
        int at = size;
        if (n > b.length - at) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, at + n));
        }
        size = at + n;
        return at;
    }
}
