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
import java.io.UncheckedIOException;
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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 * restrictions.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeShort(restrictions.size());
            for (Restriction r : restrictions) {
                write(out, r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
        return bytes.toByteArray();
    }

    static List<Restriction> decode(Kind kind, String subject, byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
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

    private static void write(DataOutputStream out, Restriction r) throws IOException {
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

    private static Restriction read(DataInputStream in, Kind kind, String subject) throws IOException {
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

    private static void writeOptional(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
