package io.restrictd.service.store;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The commits made since a store's table was written: an append-only file of framed records
 * ({@code length, crc32c, payload}), each one whole commit with the position it reaches. Bytes once
 * written are never modified.
 *
 * <p>Why a crash cannot mix states: a commit becomes part of the store only when its whole record is
 * in the file and its checksum matches. Replay stops at the first record that is short or does not match
 * (the one a crash interrupted) and cuts it off, so what is reopened is always the table plus some
 * prefix of whole commits. Writes go through the file channel, never a memory mapping: a full disk is an
 * {@link IOException} here, never a SIGBUS.
 *
 * <p>Used by the store's single writer; not thread-safe.
 */
final class CommitLog implements AutoCloseable {
    private static final int MAX_RECORD = 256 << 20;

    /**
     * One commit: the value it leaves for each subject it touched (an empty array for a subject with nothing
     * left), the expiry hints it added, and the store's count, sync time and whole position after it.
     */
    record Entry(long count, long syncedAtMillis, Map<Integer, Long> nextOffsets, Map<String, byte[]> values,
            List<String> expiryHints) {
    }

    private final Path file;
    private final FileChannel channel;
    private final boolean cut;
    private final BinaryWriter scratch = new BinaryWriter(64 << 10);
    private long length;

    private CommitLog(Path file, FileChannel channel, long length, boolean cut) {
        this.file = file;
        this.channel = channel;
        this.length = length;
        this.cut = cut;
    }

    /**
     * Opens (creating if missing) a log, hands every whole record to {@code replay} in order, and cuts off
     * what follows the last one.
     */
    static CommitLog open(Path file, Consumer<Entry> replay) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long good = replay(channel, replay);
            boolean cut = good < channel.size();
            if (cut) {
                channel.truncate(good); // the record a crash interrupted: it was never committed
                channel.force(true);
            }
            return new CommitLog(file, channel, good, cut);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static long replay(FileChannel channel, Consumer<Entry> replay) throws IOException {
        long size = channel.size();
        long at = 0;
        ByteBuffer header = ByteBuffer.allocate(8);
        while (at + 8 <= size) {
            header.clear();
            channel.read(header, at);
            int length = header.getInt(0);
            int crc = header.getInt(4);
            if (length < 0 || length > MAX_RECORD || at + 8 + length > size) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            while (payload.hasRemaining() && channel.read(payload, at + 8 + payload.position()) > 0) {
                // reads until full
            }
            CRC32C check = new CRC32C();
            check.update(payload.array());
            if ((int) check.getValue() != crc) {
                break;
            }
            replay.accept(decode(payload.array()));
            at += 8 + length;
        }
        return at;
    }

    /** True if opening cut off a partial record (a crash interrupted an append). */
    boolean wasCut() {
        return cut;
    }

    /** Bytes of whole records in the log. */
    long length() {
        return length;
    }

    /**
     * Appends one commit and syncs it to the device. On failure (a full disk) the log is cut back to where it
     * was, so the next append does not follow a partial record.
     */
    void append(Entry entry) throws IOException {
        ByteBuffer record = encode(entry);
        try {
            while (record.hasRemaining()) {
                channel.write(record, length + record.position());
            }
            channel.force(false);
        } catch (IOException e) {
            try {
                channel.truncate(length);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed); // replay stops at the partial record's checksum anyway
            }
            throw e;
        }
        length += record.limit();
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * The whole record, {@code length, crc32c, payload}, in {@link #scratch}: one buffer for every commit, where a
     * commit of 10,000 changes (2.5 MB) took four fresh arrays before.
     */
    private ByteBuffer encode(Entry e) {
        BinaryWriter out = scratch;
        out.reset();
        out.writeLong(0); // the header, filled in below
        out.writeLong(e.count());
        out.writeLong(e.syncedAtMillis());
        out.writeInt(e.nextOffsets().size());
        for (Map.Entry<Integer, Long> p : e.nextOffsets().entrySet()) {
            out.writeInt(p.getKey());
            out.writeLong(p.getValue());
        }
        out.writeInt(e.values().size());
        for (Map.Entry<String, byte[]> v : e.values().entrySet()) {
            out.writeUTF(v.getKey());
            out.writeInt(v.getValue().length);
            out.write(v.getValue());
        }
        out.writeInt(e.expiryHints().size());
        for (String hint : e.expiryHints()) {
            out.writeUTF(hint);
        }
        ByteBuffer record = out.asByteBuffer();
        CRC32C crc = new CRC32C();
        crc.update(record.slice(8, record.limit() - 8));
        return record.putInt(0, record.limit() - 8).putInt(4, (int) crc.getValue());
    }

    private static Entry decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            long count = in.readLong();
            long synced = in.readLong();
            Map<Integer, Long> offsets = new TreeMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                offsets.put(in.readInt(), in.readLong());
            }
            int n = in.readInt();
            Map<String, byte[]> values = new LinkedHashMap<>(Math.max(16, n * 2));
            for (int i = 0; i < n; i++) {
                String key = in.readUTF();
                values.put(key, in.readNBytes(in.readInt()));
            }
            List<String> hints = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                hints.add(in.readUTF());
            }
            return new Entry(count, synced, offsets, values, hints);
        } catch (IOException | RuntimeException e) {
            // The checksum matched, so only a bug writes a record that does not decode.
            throw new StoreCorruptException("commit log record does not decode: " + e, e);
        }
    }
}
