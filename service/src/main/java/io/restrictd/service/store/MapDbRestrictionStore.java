package io.restrictd.service.store;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.mapdb.Atomic;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/**
 * {@link RestrictionStore} in one MapDB file: memory-mapped, with MapDB's write-ahead log
 * ({@code transactionEnable}) so a kill -9 mid-write reopens consistent (without it the file was seen
 * to corrupt: "Header checksum broken").
 *
 * <p>Layout: {@code restrictions} maps {@code kind|subject} to every source's restriction
 * ({@link RestrictionBinary}); {@code expiry} indexes {@code hex(expiresAtMillis)|source|kind|subject};
 * {@code offsets} maps partition to next offset; {@code count} and {@code syncedAt} are scalars.
 *
 * <p>MapDB has one global transaction: readers may see a batch half-applied before its commit. Each
 * change is a valid state on its own, so a lookup never sees anything that was not published.
 *
 * <p>Lookups never read MapDB. Every stored value is mirrored in memory ({@code memory}, the same
 * bytes): MapDB's commit holds a lock that every read of the file waits for, and a commit of a couple
 * of thousand changes was measured here to hold it for 15–40 ms, which a lookup hitting a stored key
 * during a burst of changes would have waited out. The mirror is loaded from the file at open, updated
 * with every change, and reloaded after a rollback; it costs about 250 bytes of heap per stored subject
 * (25 MB for 100k; during a rebuild the fresh generation has its own). Most lookups are misses, and a lookup tries up to half a dozen access(5) keys, so
 * the common case is a few hash probes.
 */
public final class MapDbRestrictionStore implements RestrictionStore {
    private static final Comparator<Restriction> BY_SOURCE = Comparator.comparing(r -> r.key().source());

    private final Path file;
    private final DB db;
    private final HTreeMap<String, byte[]> restrictions;
    private final NavigableSet<String> expiry;
    private final HTreeMap<Integer, Long> offsets;
    private final Atomic.Long count;
    private final Atomic.Long syncedAtMillis;
    private final ConcurrentHashMap<String, byte[]> memory = new ConcurrentHashMap<>();
    private volatile Position position;

    private MapDbRestrictionStore(Path file, DB db) {
        this.file = file;
        this.db = db;
        // One segment instead of MapDB's default eight (the store has one writer, the ingest thread), with
        // 32^4 = 1M hash buckets: about a third faster to fill, measured here, and no slower to read.
        // The layout is fixed when the map is created; an existing store keeps the one it was made with.
        this.restrictions = db.hashMap("restrictions", Serializer.STRING, Serializer.BYTE_ARRAY)
                .layout(0, 32, 4)
                .createOrOpen();
        this.expiry = db.treeSet("expiry", Serializer.STRING).createOrOpen();
        this.offsets = db.hashMap("offsets", Serializer.INTEGER, Serializer.LONG).createOrOpen();
        this.count = db.atomicLong("count").createOrOpen();
        this.syncedAtMillis = db.atomicLong("syncedAt").createOrOpen();
        this.position = new Position(Map.copyOf(offsets));
        // Loading the in-memory copy reads every value, and decoding each one and checking the total
        // against the stored count makes it a check of the whole file too (see open).
        long stored = 0;
        for (Map.Entry<String, byte[]> e : restrictions.entrySet()) {
            int bar = e.getKey().indexOf('|');
            stored += RestrictionBinary.decode(Kind.fromWire(e.getKey().substring(0, bar)),
                    e.getKey().substring(bar + 1), e.getValue()).size();
            memory.put(e.getKey(), e.getValue());
        }
        if (stored != count.get()) {
            throw new IllegalStateException("it holds " + stored + " restrictions, its count says " + count.get());
        }
        for (String ignored : expiry) {
            // walks the expiry index: a broken one fails here rather than in a sweep
        }
    }

    /**
     * Opens or creates the store file. The caller holds the store directory's lock (see
     * {@link StoreDirectory}); MapDB's own file lock is a second line of defence.
     */
    /**
     * Opens or creates the store file, and reads all of it.
     *
     * <p>MapDB's write-ahead log does not make the file safe from a kill -9 during a commit: measured here,
     * repeated kills under sustained writes left files that failed to open (AssertionError, "Record does not
     * exist", IndexOutOfBoundsException, or an OutOfMemoryError from a corrupt length), with the memory-mapped
     * and the file-channel back ends alike. Everything that goes wrong while reading the file back is
     * therefore a {@link StoreCorruptException}, which {@link StoreDirectory} answers by starting from an
     * empty store: the topic has everything.
     *
     * @throws StoreCorruptException if the file cannot be read back
     * @throws StoreException        if it is locked by another process
     */
    public static MapDbRestrictionStore open(Path file) {
        DB db = null;
        try {
            db = DBMaker.fileDB(file.toFile())
                    .fileMmapEnableIfSupported()
                    .fileMmapPreclearDisable()
                    // Grow the file 16 MiB at a time, not 1 MiB: each growth maps a new region, and
                    // at 1 MiB a catch-up spent a fifth of its time doing that (measured here).
                    .allocateIncrement(16L << 20)
                    .transactionEnable()
                    .make();
            return new MapDbRestrictionStore(file, db);
        } catch (DBException.FileLocked e) {
            throw new StoreException("store file " + file + " is in use by another process", e);
        } catch (RuntimeException | AssertionError | OutOfMemoryError e) {
            closeQuietly(db);
            throw new StoreCorruptException("store file " + file + " cannot be read back: " + e, e);
        }
    }

    private static void closeQuietly(DB db) {
        if (db != null) {
            try {
                db.close();
            } catch (RuntimeException | AssertionError e) {
                // it is being given up on
            }
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public List<Restriction> get(Kind kind, String subject) {
        byte[] value = memory.get(mapKey(kind, subject));
        return value == null ? List.of() : RestrictionBinary.decode(kind, subject, value);
    }

    @Override
    public Position position() {
        return position;
    }

    /** When ingest last confirmed this store was caught up with the topic, or null if never. */
    public Instant syncedAt() {
        long millis = syncedAtMillis.get();
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public void commit(List<Change> changes, Position newPosition, Instant now) {
        commit(changes, newPosition, now, false);
    }

    /**
     * As {@link #commit(List, Position, Instant)}; with {@code caughtUp} also records {@code now} as
     * the last moment this store was known to be caught up with the topic.
     */
    public synchronized void commit(List<Change> changes, Position newPosition, Instant now, boolean caughtUp) {
        try {
            // Apply, then record the position (and sync time), in one commit.
            long delta = 0;
            for (Change change : changes) {
                delta += apply(change, now);
            }
            if (delta != 0) {
                count.addAndGet(delta);
            }
            offsets.putAll(newPosition.nextOffsets());
            if (caughtUp) {
                syncedAtMillis.set(now.toEpochMilli());
            }
            db.commit();
            position = position.with(newPosition.nextOffsets());
        } catch (RuntimeException e) {
            rollback(e);
            throw asStoreException("commit", e);
        }
    }

    /** Applies one change; returns how the number of stored restrictions changed (-1, 0 or 1). */
    private long apply(Change change, Instant now) {
        RestrictionKey key = change.key();
        String mapKey = mapKey(key.kind(), key.subject());
        byte[] old = memory.get(mapKey);
        List<Restriction> list = old == null ? new ArrayList<>(1)
                : new ArrayList<>(RestrictionBinary.decode(key.kind(), key.subject(), old));
        Restriction replaced = null;
        for (Iterator<Restriction> it = list.iterator(); it.hasNext(); ) {
            Restriction r = it.next();
            if (r.key().source().equals(key.source())) {
                replaced = r;
                it.remove();
            }
        }
        if (replaced != null && replaced.expiresAt() != null) {
            expiry.remove(expiryKey(replaced));
        }
        long delta = replaced == null ? 0 : -1;
        if (change instanceof Change.Put put && put.restriction().activeAt(now)) {
            Restriction r = put.restriction();
            list.add(r);
            list.sort(BY_SOURCE);
            if (r.expiresAt() != null) {
                expiry.add(expiryKey(r));
            }
            delta++;
        }
        if (list.isEmpty()) {
            restrictions.remove(mapKey);
            memory.remove(mapKey);
        } else {
            byte[] value = RestrictionBinary.encode(list);
            restrictions.put(mapKey, value);
            memory.put(mapKey, value);
        }
        return delta;
    }

    @Override
    public synchronized int sweepExpired(Instant now, int max) {
        String bound = String.format(Locale.ROOT, "%016x", now.toEpochMilli());
        List<Change> lifts = new ArrayList<>();
        for (String entry : read(() -> expiry.headSet(bound))) {
            if (lifts.size() >= max) {
                break;
            }
            lifts.add(new Change.Lift(RestrictionKey.parse(entry.substring(17))));
        }
        if (lifts.isEmpty()) {
            return 0;
        }
        try {
            long delta = 0;
            for (Change lift : lifts) {
                delta += apply(lift, now);
            }
            count.addAndGet(delta);
            db.commit();
        } catch (RuntimeException e) {
            rollback(e);
            throw asStoreException("sweep", e);
        }
        return lifts.size();
    }

    @Override
    public long size() {
        return read(count::get);
    }

    @Override
    public void forEach(Consumer<Restriction> visitor) {
        memory.forEach((mapKey, value) -> {
            int bar = mapKey.indexOf('|');
            RestrictionBinary.decode(Kind.fromWire(mapKey.substring(0, bar)), mapKey.substring(bar + 1), value)
                    .forEach(visitor);
        });
    }

    @Override
    public synchronized void close() {
        if (!db.isClosed()) {
            db.close();
        }
    }

    private static String mapKey(Kind kind, String subject) {
        return kind.wireName() + '|' + subject;
    }

    private static String expiryKey(Restriction r) {
        return String.format(Locale.ROOT, "%016x|%s", r.expiresAt().toEpochMilli(), r.key().wire());
    }

    private void rollback(RuntimeException cause) {
        try {
            db.rollback();
            memory.clear();
            restrictions.forEach(memory::put); // back to what the file holds, removals included
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private <T> T read(java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (RuntimeException e) {
            throw asStoreException("read", e);
        }
    }

    private StoreException asStoreException(String what, RuntimeException e) {
        if (e instanceof StoreException se) {
            return se;
        }
        if (db.isClosed()) {
            return new StoreException("store " + file + " is closed", e);
        }
        return new StoreException(what + " failed on store " + file + ": " + e, e);
    }
}
