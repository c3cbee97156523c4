package io.restrictd.service.store;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.schema.Verb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact value stored for one kind and subject: every source's restriction, in a versioned
 * binary form that decodes in well under a microsecond (JSON would dominate the lookup path).
 * Stateless and thread-safe.
 */
final class RestrictionBinary {
    private static final byte VERSION = 1;

    private RestrictionBinary() {
    }

    static byte[] encode(List<Restriction> restrictions) {
        BinaryWriter out = new BinaryWriter(128 * restrictions.size());
        out.writeByte(VERSION);
        out.writeShort(restrictions.size());
        for (Restriction r : restrictions) {
            write(out, r);
        }
        return out.toByteArray();
    }

    static List<Restriction> decode(Kind kind, String subject, byte[] value) {
        try {
            Reader in = new Reader(value);
            byte version = in.readByte();
            if (version != VERSION) {
                throw new StoreException("stored value for " + kind + "|" + subject + " has format " + version
                        + ", this build reads " + VERSION);
            }
            int count = in.readUnsignedShort();
            List<Restriction> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(read(in, kind, subject));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("stored value for " + kind + "|" + subject + " is corrupt", e);
        }
    }

    private static void write(BinaryWriter out, Restriction r) {
        AccessAction a = r.action();
        out.writeUTF(r.key().source());
        out.writeByte(a.verb().ordinal());
        out.writeShort(a.smtpCode() == null ? 0 : a.smtpCode());
        writeOptional(out, a.enhancedCode());
        writeOptional(out, a.message());
        writeOptional(out, r.reason());
        writeOptional(out, r.actor());
        writeOptional(out, r.ticket());
        writeInstant(out, r.createdAt());
        out.writeBoolean(r.expiresAt() != null);
        if (r.expiresAt() != null) {
            writeInstant(out, r.expiresAt());
        }
        out.writeShort(r.origin().size());
        for (Map.Entry<String, String> e : r.origin().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static Restriction read(Reader in, Kind kind, String subject) throws IOException {
        String source = in.readUTF();
        Verb verb = Verb.values()[in.readUnsignedByte()];
        int code = in.readUnsignedShort();
        AccessAction action = new AccessAction(verb, code == 0 ? null : code, readOptional(in), readOptional(in));
        String reason = readOptional(in);
        String actor = readOptional(in);
        String ticket = readOptional(in);
        Instant createdAt = readInstant(in);
        Instant expiresAt = in.readBoolean() ? readInstant(in) : null;
        int originCount = in.readUnsignedShort();
        Map<String, String> origin = new LinkedHashMap<>();
        for (int i = 0; i < originCount; i++) {
            origin.put(in.readUTF(), in.readUTF());
        }
        return new Restriction(new RestrictionKey(source, kind, subject), action, reason, origin, actor, ticket,
                createdAt, expiresAt);
    }

    private static void writeOptional(BinaryWriter out, String s) {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readOptional(Reader in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeInstant(BinaryWriter out, Instant t) {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant readInstant(Reader in) {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    /**
     * Reads what {@link DataOutputStream} wrote, straight from the array: a lookup decodes a value each
     * time, and a {@link DataInputStream} costs two objects, buffers and a call per byte. Strings that are
     * all ASCII (nearly every one) are copied as they are; any other goes through
     * {@link DataInputStream#readUTF}, so modified UTF-8 has one decoder. Running past the end throws
     * {@link IndexOutOfBoundsException}, which {@link #decode} reports as a corrupt value.
     */
    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        byte readByte() {
            return b[index(1)];
        }

        int readUnsignedByte() {
            return b[index(1)] & 0xff;
        }

        boolean readBoolean() {
            return b[index(1)] != 0;
        }

        int readUnsignedShort() {
            int at = index(2);
            return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
        }

        int readInt() {
            int at = index(4);
            return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
        }

        long readLong() {
            long high = readInt() & 0xffffffffL;
            return high << 32 | readInt() & 0xffffffffL;
        }

        String readUTF() throws IOException {
            int start = pos;
            int length = readUnsignedShort();
            int at = index(length);
            for (int i = at; i < at + length; i++) {
                if (b[i] < 0) { // not ASCII: modified UTF-8, decoded by the JDK
                    return DataInputStream.readUTF(new DataInputStream(new ByteArrayInputStream(b, start, length + 2)));
                }
            }
            return new String(b, at, length, StandardCharsets.ISO_8859_1);
        }

        /** Claims the next {@code n} bytes and returns where they start. */
        private int index(int n) {
            int at = pos;
            if (n > b.length - at) {
                throw new IndexOutOfBoundsException("value ends at " + b.length + ", wanted " + n + " bytes at " + at);
            }
            pos = at + n;
            return at;
        }
    }
}
