package io.restrictd.service.store;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mapdb.SortedTableMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RestrictionStore} as immutable MapDB tables plus a commit log, in one directory:
 *
 * <pre>
 *   table-7.sst   every restriction, expiry hint and the position as of some commit ({@link TableFile}):
 *                 written once, synced, renamed into place, never modified
 *   log-7         the commits made since table-7 ({@link CommitLog}): appended and synced, never modified
 * </pre>
 *
 * <p>Why no crash can leave a mix: the directory is always read as "the highest-numbered table, plus the
 * whole records of its log". A table only appears under its name once complete and synced; a commit only
 * counts once its whole record is in the log. When the log has grown (more than {@link #MAX_DELTA} subjects
 * or {@link #MAX_LOG_BYTES}), table and log are merged into table-8, and log-8 starts empty; until table-8 is
 * renamed into place the directory still reads as table-7 plus log-7, and afterwards table-8 holds exactly
 * that. Nothing is ever read back to check it: nothing written is ever changed.
 *
 * <p>Lookups never wait for a write and never read a file in the steady state: every stored value is held
 * in memory ({@code mirror}, about 270 bytes of heap per subject, measured), updated after each commit is
 * durable. Opening reads only the table's position and replays the log; the mirror is then filled from the
 * table on a background thread, and until it is full lookups read the log's changes and then the mapped
 * table (tens of microseconds each, lock-free). Writes wait for it.
 */
public final class MapDbRestrictionStore implements RestrictionStore {
    private static final Logger LOG = LoggerFactory.getLogger(MapDbRestrictionStore.class);
    private static final Pattern TABLE = Pattern.compile("table-(\\d+)\\.sst");
    private static final Comparator<Restriction> BY_SOURCE = Comparator.comparing(r -> r.key().source());
    /** Stands for "nothing stored" in the log's changes and in {@code delta}. */
    private static final byte[] LIFTED = new byte[0];
    // Table key prefixes: data by kind|subject, expiry hints, then the position and counters.
    private static final String DATA = "d";
    private static final String HINT = "e";
    private static final String META = "m";
    private static final String END = "n";
    static final long MIN_DELTA = 100_000;
    static final long MAX_DELTA = 250_000;
    static final long MAX_LOG_BYTES = 64L << 20;
    private static final long RETRY_COMPACTION_MILLIS = 30_000;

    /** The table and the changes since it, swapped together when a new table is written. */
    private record Layers(SortedTableMap<String, byte[]> table, ConcurrentHashMap<String, byte[]> delta) {
    }

    private final Path dir;
    private final long minDelta;
    private final TreeSet<String> hints = new TreeSet<>(TableFile.ORDER);
    private volatile Layers layers;
    private volatile ConcurrentHashMap<String, byte[]> mirror;
    private volatile Position position = Position.UNKNOWN;
    private volatile long count;
    private volatile long syncedAtMillis;
    private volatile boolean closed;
    /** False while a rebuild fills this store: no in-memory copy (see {@link #openForBuild}). */
    private volatile boolean serving;
    private long generation;
    private CommitLog log;
    private long compactionFailedAt;

    private MapDbRestrictionStore(Path dir, long minDelta, long generation, SortedTableMap<String, byte[]> table) {
        this.dir = dir;
        this.minDelta = minDelta;
        this.generation = generation;
        this.layers = new Layers(table, new ConcurrentHashMap<>());
        if (table != null) {
            Map<Integer, Long> offsets = new TreeMap<>();
            for (Iterator<Map.Entry<String, byte[]>> it = table.entryIterator(META, true, END, false); it.hasNext(); ) {
                Map.Entry<String, byte[]> e = it.next();
                long value = ByteBuffer.wrap(e.getValue()).getLong();
                switch (e.getKey()) {
                    case "mcount" -> count = value;
                    case "msynced" -> syncedAtMillis = value;
                    default -> offsets.put(Integer.parseInt(e.getKey().substring(2)), value); // "mp<partition>"
                }
            }
            position = new Position(offsets);
        }
    }

    /**
     * Opens (creating if needed) the store in {@code dir}: the latest table and its log, nothing else read.
     * Files a crash left behind (an unfinished table, an older generation) are deleted.
     *
     * @throws StoreCorruptException if the table cannot be mapped (the disk lost it: nothing this code writes)
     * @throws StoreException        on any other I/O failure
     */
    public static MapDbRestrictionStore open(Path dir) {
        return open(dir, MIN_DELTA);
    }

    /** As {@link #open(Path)}, writing a new table once the log holds {@code minDelta} subjects (for tests). */
    static MapDbRestrictionStore open(Path dir, long minDelta) {
        return open(dir, minDelta, true);
    }

    /**
     * Opens a store that a rebuild fills while the live store serves: it keeps no in-memory copy (reads, which
     * only its own commits make, go to the log's changes and the mapped table), so a rebuild costs the heap of
     * the changes since the last table, not a second copy of everything. {@link #serve} gives it its in-memory
     * copy once it is promoted.
     */
    static MapDbRestrictionStore openForBuild(Path dir, long minDelta) {
        return open(dir, minDelta, false);
    }

    private static MapDbRestrictionStore open(Path dir, long minDelta, boolean serving) {
        try {
            Files.createDirectories(dir);
            long generation = latestTable(dir);
            deleteAllBut(dir, generation);
            SortedTableMap<String, byte[]> table;
            try {
                table = generation == 0 ? null : TableFile.open(dir.resolve(tableName(generation)));
            } catch (RuntimeException e) {
                throw new StoreCorruptException("table " + dir.resolve(tableName(generation)) + " cannot be read: " + e, e);
            }
            MapDbRestrictionStore store = new MapDbRestrictionStore(dir, minDelta, generation, table);
            if (table != null && !serving) {
                store.loadHints(table);
            }
            store.log = CommitLog.open(dir.resolve(logName(generation)), store::replay);
            TableFile.fsyncDirectory(dir);
            if (serving) {
                store.serve();
            }
            return store;
        } catch (IOException e) {
            throw new StoreException("cannot open store " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Starts filling the in-memory copy on a background thread; lookups read the files until it is full. */
    synchronized void serve() {
        if (serving) {
            return;
        }
        serving = true;
        Thread warm = new Thread(this::warmQuietly, "restrictd-store-warm");
        warm.setDaemon(true);
        warm.start();
    }

    private void replay(CommitLog.Entry e) {
        ConcurrentHashMap<String, byte[]> delta = layers.delta();
        e.values().forEach((k, v) -> delta.put(k, v.length == 0 ? LIFTED : v));
        hints.addAll(e.expiryHints());
        count = e.count();
        syncedAtMillis = e.syncedAtMillis();
        position = new Position(e.nextOffsets());
    }

    @Override
    public List<Restriction> get(Kind kind, String subject) {
        ensureOpen();
        byte[] value = valueOf(mapKey(kind, subject));
        return value == null ? List.of() : RestrictionBinary.decode(kind, subject, value);
    }

    private byte[] valueOf(String mapKey) {
        Map<String, byte[]> m = mirror;
        if (m != null) {
            return m.get(mapKey);
        }
        Layers l = layers;
        byte[] value = l.delta().get(mapKey);
        if (value != null) {
            return value == LIFTED ? null : value;
        }
        return l.table() == null ? null : l.table().get(DATA + mapKey);
    }

    @Override
    public Position position() {
        ensureOpen();
        return position;
    }

    @Override
    public Instant syncedAt() {
        ensureOpen();
        long millis = syncedAtMillis;
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public synchronized void commit(List<Change> changes, Position newPosition, Instant now, boolean caughtUp) {
        ensureOpen();
        warm();
        Map<String, byte[]> staged = new LinkedHashMap<>();
        List<String> added = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        long newCount = count;
        for (Change change : changes) {
            newCount += stage(change, now, staged, added, dropped);
        }
        Position after = position.with(newPosition.nextOffsets());
        long synced = caughtUp ? now.toEpochMilli() : syncedAtMillis;
        // Durability order: the whole batch, its position and counters in one synced log record; only then
        // does any of it become visible.
        try {
            log.append(new CommitLog.Entry(newCount, synced, after.nextOffsets(), staged, added));
        } catch (IOException e) {
            throw new StoreException("cannot commit to store " + dir + ": " + e.getMessage(), e);
        }
        ConcurrentHashMap<String, byte[]> delta = layers.delta();
        ConcurrentHashMap<String, byte[]> m = mirror;
        staged.forEach((k, v) -> {
            delta.put(k, v);
            if (m == null) {
                return; // a store being built: its readers read the delta
            }
            if (v == LIFTED) {
                m.remove(k);
            } else {
                m.put(k, v);
            }
        });
        hints.removeAll(dropped);
        hints.addAll(added);
        count = newCount;
        syncedAtMillis = synced;
        position = after;
        compactIfDue(now);
    }

    /** Works out the value one change leaves; returns how the number of restrictions changes (-1, 0 or 1). */
    private long stage(Change change, Instant now, Map<String, byte[]> staged, List<String> added,
            List<String> dropped) {
        RestrictionKey key = change.key();
        String mapKey = mapKey(key.kind(), key.subject());
        byte[] old = staged.containsKey(mapKey) ? staged.get(mapKey) : valueOf(mapKey);
        List<Restriction> list = old == null || old == LIFTED ? new ArrayList<>(1)
                : new ArrayList<>(RestrictionBinary.decode(key.kind(), key.subject(), old));
        long delta = 0;
        for (Iterator<Restriction> it = list.iterator(); it.hasNext(); ) {
            Restriction r = it.next();
            if (r.key().source().equals(key.source())) {
                it.remove();
                delta--;
                if (r.expiresAt() != null) {
                    dropped.add(hint(r));
                }
            }
        }
        if (change instanceof Change.Put put && put.restriction().activeAt(now)) {
            Restriction r = put.restriction();
            list.add(r);
            list.sort(BY_SOURCE);
            if (r.expiresAt() != null) {
                added.add(hint(r));
            }
            delta++;
        }
        staged.put(mapKey, list.isEmpty() ? LIFTED : RestrictionBinary.encode(list));
        return delta;
    }

    /**
     * Expiry hints say where to look, the stored value decides: a hint whose restriction was replaced or
     * lifted since is dropped (in memory; a crash brings it back, harmlessly, until the next table).
     */
    @Override
    public synchronized int sweepExpired(Instant now, int max) {
        ensureOpen();
        warm();
        List<Change> lifts = new ArrayList<>();
        String bound = String.format(Locale.ROOT, "%016x~", now.toEpochMilli());
        for (Iterator<String> it = hints.headSet(bound).iterator(); it.hasNext() && lifts.size() < max; ) {
            String hint = it.next();
            RestrictionKey key = RestrictionKey.parse(hint.substring(17));
            boolean expired = get(key.kind(), key.subject()).stream().anyMatch(r -> r.key().equals(key)
                    && r.expiresAt() != null && !r.activeAt(now));
            if (expired) {
                lifts.add(new Change.Lift(key));
            } else {
                it.remove();
            }
        }
        if (!lifts.isEmpty()) {
            commit(lifts, Position.UNKNOWN, now, false);
        }
        return lifts.size();
    }

    @Override
    public long size() {
        ensureOpen();
        return count;
    }

    @Override
    public void forEach(Consumer<Restriction> visitor) {
        ensureOpen();
        BiConsumer<String, byte[]> decode = (mapKey, value) -> {
            int bar = mapKey.indexOf('|');
            RestrictionBinary.decode(Kind.fromWire(mapKey.substring(0, bar)), mapKey.substring(bar + 1), value)
                    .forEach(visitor);
        };
        Map<String, byte[]> m = mirror;
        if (m != null) {
            m.forEach(decode);
            return;
        }
        Layers l = layers;
        if (l.table() != null) {
            l.table().entryIterator(DATA, true, HINT, false).forEachRemaining(e -> {
                if (!l.delta().containsKey(e.getKey().substring(1))) {
                    decode.accept(e.getKey().substring(1), e.getValue());
                }
            });
        }
        l.delta().forEach((k, v) -> {
            if (v != LIFTED) {
                decode.accept(k, v);
            }
        });
    }

    /** True once every value is in memory (lookups no longer read the table). */
    boolean inMemory() {
        return mirror != null;
    }

    @Override
    public Path location() {
        return dir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        mirror = null;
        try {
            log.close();
        } catch (IOException e) {
            LOG.warn("closing {}: {}", log.file(), e.toString());
        }
        // The table's mapping is left to the garbage collector: a lookup may still be reading it.
    }

    private void warmQuietly() {
        try {
            warm();
        } catch (RuntimeException e) {
            LOG.error("store {}: cannot load it into memory ({}); the next write tries again", dir, e.toString());
        }
    }

    /** Fills the in-memory copy from the table and the log's changes (writes wait: they hold the lock). */
    private synchronized void warm() {
        if (mirror != null || closed || !serving) {
            return;
        }
        long started = System.nanoTime();
        Layers l = layers;
        ConcurrentHashMap<String, byte[]> m = new ConcurrentHashMap<>((int) Math.min(1 << 30, count * 4 / 3 + 16));
        if (l.table() != null) {
            l.table().entryIterator(DATA, true, HINT, false).forEachRemaining(e -> m.put(e.getKey().substring(1),
                    e.getValue()));
            loadHints(l.table());
        }
        l.delta().forEach((k, v) -> {
            if (v == LIFTED) {
                m.remove(k);
            } else {
                m.put(k, v);
            }
        });
        mirror = m;
        LOG.info("store {}: {} subjects in memory in {} ms", dir, m.size(), (System.nanoTime() - started) / 1_000_000);
    }

    private void loadHints(SortedTableMap<String, byte[]> table) {
        table.keyIterator(HINT, true, META, false).forEachRemaining(k -> hints.add(k.substring(1)));
    }

    private void compactIfDue(Instant now) {
        long threshold = Math.max(minDelta, Math.min(MAX_DELTA, count / 2));
        if (layers.delta().size() < threshold && log.length() < MAX_LOG_BYTES
                || now.toEpochMilli() - compactionFailedAt < RETRY_COMPACTION_MILLIS) {
            return;
        }
        try {
            compact();
        } catch (IOException | RuntimeException e) {
            compactionFailedAt = now.toEpochMilli();
            LOG.warn("store {}: cannot write a new table ({}); commits go on into the log, retrying in {} s", dir,
                    e.toString(), RETRY_COMPACTION_MILLIS / 1000);
        }
    }

    /** Merges the table and the log into the next table, then starts its empty log (see the class comment). */
    private void compact() throws IOException {
        long started = System.nanoTime();
        long next = generation + 1;
        Path target = dir.resolve(tableName(next));
        Layers old = layers;
        TableFile.write(target, sink -> writeTable(old, sink));
        SortedTableMap<String, byte[]> table;
        CommitLog newLog;
        try {
            table = TableFile.open(target);
            newLog = CommitLog.open(dir.resolve(logName(next)), e -> {
                throw new IllegalStateException("a new log is not empty");
            });
            TableFile.fsyncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            // The new table must not outlive this failure: the next commits go to the current log, which a
            // reopen would not read past a newer table.
            Files.deleteIfExists(dir.resolve(logName(next)));
            Files.deleteIfExists(target);
            TableFile.fsyncDirectory(dir);
            throw e;
        }
        CommitLog oldLog = log;
        layers = new Layers(table, new ConcurrentHashMap<>());
        log = newLog;
        generation = next;
        oldLog.close();
        Files.deleteIfExists(oldLog.file());
        Files.deleteIfExists(dir.resolve(tableName(next - 1)));
        LOG.info("store {}: wrote {} ({} restrictions, {} changes merged) in {} ms", dir, target.getFileName(),
                count, old.delta().size(), (System.nanoTime() - started) / 1_000_000);
    }

    /** The table's content in key order: the old table's data overlaid with the log's, hints, then meta. */
    private void writeTable(Layers old, BiConsumer<String, byte[]> sink) {
        List<String> changed = new ArrayList<>(old.delta().keySet());
        changed.sort(TableFile.ORDER);
        Iterator<Map.Entry<String, byte[]>> base = old.table() == null ? java.util.Collections.emptyIterator()
                : old.table().entryIterator(DATA, true, HINT, false);
        Map.Entry<String, byte[]> b = base.hasNext() ? base.next() : null;
        for (String key : changed) {
            String tableKey = DATA + key;
            while (b != null && TableFile.ORDER.compare(b.getKey(), tableKey) < 0) {
                sink.accept(b.getKey(), b.getValue());
                b = base.hasNext() ? base.next() : null;
            }
            if (b != null && b.getKey().equals(tableKey)) {
                b = base.hasNext() ? base.next() : null;
            }
            byte[] value = old.delta().get(key);
            if (value != LIFTED) {
                sink.accept(tableKey, value);
            }
        }
        for (; b != null; b = base.hasNext() ? base.next() : null) {
            sink.accept(b.getKey(), b.getValue());
        }
        hints.forEach(h -> sink.accept(HINT + h, LIFTED));
        Map<String, Long> meta = new TreeMap<>(TableFile.ORDER);
        meta.put("mcount", count);
        meta.put("msynced", syncedAtMillis);
        position.nextOffsets().forEach((p, offset) -> meta.put("mp" + p, offset));
        meta.forEach((k, v) -> sink.accept(k, ByteBuffer.allocate(8).putLong(v).array()));
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("store " + dir + " is closed");
        }
    }

    private static String mapKey(Kind kind, String subject) {
        return kind.wireName() + '|' + subject;
    }

    private static String hint(Restriction r) {
        return String.format(Locale.ROOT, "%016x|%s", r.expiresAt().toEpochMilli(), r.key().wire());
    }

    private static String tableName(long generation) {
        return "table-" + generation + ".sst";
    }

    private static String logName(long generation) {
        return "log-" + generation;
    }

    private static long latestTable(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> TABLE.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .mapToLong(m -> Long.parseLong(m.group(1))).max().orElse(0);
        }
    }

    /** Deletes what a crash left: unfinished tables, older tables and logs. */
    private static void deleteAllBut(Path dir, long generation) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (!name.equals(tableName(generation)) && !name.equals(logName(generation))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
