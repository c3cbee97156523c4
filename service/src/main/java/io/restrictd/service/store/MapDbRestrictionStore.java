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
import java.util.Arrays;
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
 *   table-7.sst   every restriction, expiry hint and the position as of the end of log-6 ({@link TableFile}):
 *                 written once, synced, renamed into place, never modified
 *   log-7, log-8  the commits made since ({@link CommitLog}): appended and synced, never modified
 * </pre>
 *
 * <p>Why no crash can leave a mix: the directory is always read as "the highest-numbered table, plus the
 * whole records of the logs numbered from it on, in order". A table only appears under its name once complete
 * and synced; a commit only counts once its whole record is in a log. When the log has grown (more than
 * {@link #MAX_DELTA} subjects or {@link #MAX_LOG_BYTES}), the writer starts log-8 for the commits that follow
 * and a background thread merges table-7 and log-7 into table-8 while commits go on; until table-8 is renamed
 * into place the directory reads as table-7 plus log-7 plus log-8, afterwards as table-8 (exactly table-7 plus
 * log-7) plus log-8: the same commits. Nothing is ever read back to check it: nothing written is ever changed.
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
    private static final Pattern LOG_FILE = Pattern.compile("log-(\\d+)");
    private static final Comparator<Restriction> BY_SOURCE = Comparator.comparing(r -> r.key().source());
    /** Stands for "nothing stored" in the log's changes and in {@code delta}. */
    private static final byte[] LIFTED = new byte[0];
    // Table key prefixes: data by kind|subject, expiry hints, then the position and counters.
    private static final String DATA = "d";
    private static final String HINT = "e";
    private static final String META = "m";
    private static final String END = "n";
    static final long MIN_DELTA = 100_000;
    /**
     * A table rewrites every stored subject, so this decides what ingest at scale costs; the changes not yet
     * in a table are what a restart replays and what the heap holds beside the in-memory copy. 500k was
     * measured at 1M (docs/store.md): a warm backlog about 18 % faster, but twice the replay and 50 MiB more
     * heap, for a rate already above the goal at 250k; kept at 250k.
     */
    static final long MAX_DELTA = 250_000;
    /**
     * A store being built keeps the changes not yet in a table as its only copy: fewer of them, so a rebuild
     * beside a live store of a million restrictions fits the heap the live store needs (docs/store.md).
     */
    static final long MAX_BUILD_DELTA = 100_000;
    static final long MAX_LOG_BYTES = 64L << 20;
    private static final long RETRY_COMPACTION_MILLIS = 30_000;

    /**
     * What lookups read before the in-memory copy is full, newest first: the changes since the freeze
     * ({@code delta}), the changes being merged into the next table ({@code frozen}, null unless a table is
     * being written), and the table. Swapped as a whole.
     */
    private record Layers(SortedTableMap<String, byte[]> table, ConcurrentHashMap<String, byte[]> frozen,
            ConcurrentHashMap<String, byte[]> delta) {
        Layers(SortedTableMap<String, byte[]> table) {
            this(table, null, new ConcurrentHashMap<>());
        }
    }

    /** What the next table records besides the data: as of the freeze. */
    private record Meta(TreeSet<String> hints, long count, long syncedAtMillis, Position position) {
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
    /** The number of the table (0: none yet) and of the log commits append to (never below the table's). */
    private long tableNumber;
    private long logNumber;
    private CommitLog log;
    /** True while a background thread ({@code writer}) writes the next table. */
    private boolean compacting;
    private Thread writer;
    private long compactionFailedAt;

    private MapDbRestrictionStore(Path dir, long minDelta, long tableNumber, SortedTableMap<String, byte[]> table) {
        this.dir = dir;
        this.minDelta = minDelta;
        this.tableNumber = tableNumber;
        this.layers = new Layers(table);
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
            long tableNumber = latestTable(dir);
            List<Long> logs = deleteStale(dir, tableNumber);
            SortedTableMap<String, byte[]> table;
            try {
                table = tableNumber == 0 ? null : TableFile.open(dir.resolve(tableName(tableNumber)));
            } catch (RuntimeException e) {
                throw new StoreCorruptException("table " + dir.resolve(tableName(tableNumber)) + " cannot be read: "
                        + e, e);
            }
            MapDbRestrictionStore store = new MapDbRestrictionStore(dir, minDelta, tableNumber, table);
            if (table != null && !serving) {
                store.loadHints(table);
            }
            store.replayLogs(logs.isEmpty() ? List.of(tableNumber) : logs);
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

    /**
     * Replays the logs in order and appends to the last. A log that ends in a partial record can only be the
     * last one a crash interrupted (a log is followed by another only once its last commit returned); should an
     * earlier one be cut all the same, the later ones are deleted, so what reopens is still a prefix of commits.
     */
    private void replayLogs(List<Long> numbers) throws IOException {
        for (int i = 0; i < numbers.size(); i++) {
            CommitLog opened = CommitLog.open(dir.resolve(logName(numbers.get(i))), this::replay);
            boolean last = i == numbers.size() - 1;
            if (!last && opened.wasCut()) {
                LOG.warn("store {}: {} ends in a partial record though later logs follow it; deleting them", dir,
                        opened.file().getFileName());
                for (long later : numbers.subList(i + 1, numbers.size())) {
                    Files.deleteIfExists(dir.resolve(logName(later)));
                }
                last = true;
            }
            if (last) {
                log = opened;
                logNumber = numbers.get(i);
                return;
            }
            opened.close();
        }
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
        if (value == null && l.frozen() != null) {
            value = l.frozen().get(mapKey);
        }
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
        awaitTableIfBehind();
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
        byte[] value = list.isEmpty() ? LIFTED : null;
        if (change instanceof Change.Put put && put.restriction().activeAt(now)) {
            Restriction r = put.restriction();
            value = list.isEmpty() ? put.encodedAlone() : null; // the subject's only restriction: encoded already
            list.add(r);
            list.sort(BY_SOURCE);
            if (r.expiresAt() != null) {
                added.add(hint(r));
            }
            delta++;
        }
        staged.put(mapKey, value != null ? value : RestrictionBinary.encode(list));
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
        Map<String, byte[]> frozen = l.frozen() == null ? Map.of() : l.frozen();
        if (l.table() != null) {
            l.table().entryIterator(DATA, true, HINT, false).forEachRemaining(e -> {
                String key = e.getKey().substring(1);
                if (!l.delta().containsKey(key) && !frozen.containsKey(key)) {
                    decode.accept(key, e.getValue());
                }
            });
        }
        frozen.forEach((k, v) -> {
            if (v != LIFTED && !l.delta().containsKey(k)) {
                decode.accept(k, v);
            }
        });
        l.delta().forEach((k, v) -> {
            if (v != LIFTED) {
                decode.accept(k, v);
            }
        });
    }

    /** True while a background thread writes the next table (for tests). */
    synchronized boolean writingTable() {
        return compacting;
    }

    /** True once every value is in memory (lookups no longer read the table). */
    boolean inMemory() {
        return mirror != null;
    }

    @Override
    public Path location() {
        return dir;
    }

    /** Closes the store; waits for a table being written to be finished (see {@link #writeTable}). */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            mirror = null;
            running = compacting ? writer : null;
            notifyAll(); // a commit waiting for the table fails now: the store is closed
            try {
                log.close();
            } catch (IOException e) {
                LOG.warn("closing {}: {}", log.file(), e.toString());
            }
            // The table's mapping is left to the garbage collector: a lookup may still be reading it.
        }
        if (running != null) {
            try {
                running.join(); // it finishes the table (3 s for 1M restrictions, unloaded) and names it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        for (Map<String, byte[]> changes : l.frozen() == null ? List.of(l.delta()) : List.of(l.frozen(), l.delta())) {
            changes.forEach((k, v) -> {
                if (v == LIFTED) {
                    m.remove(k);
                } else {
                    m.put(k, v);
                }
            });
        }
        mirror = m;
        LOG.info("store {}: {} subjects in memory in {} ms", dir, m.size(), (System.nanoTime() - started) / 1_000_000);
    }

    private void loadHints(SortedTableMap<String, byte[]> table) {
        table.keyIterator(HINT, true, META, false).forEachRemaining(k -> hints.add(k.substring(1)));
    }

    /** How many changed subjects may wait for the next table: what bounds the memory they take. */
    private long deltaThreshold() {
        return Math.max(minDelta, Math.min(serving ? MAX_DELTA : MAX_BUILD_DELTA, count / 2));
    }

    /**
     * Bounds memory when ingest outruns the background table writer: with a table being written and as many
     * new changes waiting as start a table, a commit waits (lookups never do) until the writer is done.
     */
    private void awaitTableIfBehind() {
        while (compacting && layers.delta().size() >= deltaThreshold()) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while the store " + dir + " writes its next table", e);
            }
            ensureOpen();
        }
    }

    private void compactIfDue(Instant now) {
        long threshold = deltaThreshold();
        if (compacting || layers.delta().size() < threshold && log.length() < MAX_LOG_BYTES
                || now.toEpochMilli() - compactionFailedAt < RETRY_COMPACTION_MILLIS) {
            return;
        }
        try {
            startCompaction(now);
        } catch (IOException | RuntimeException e) {
            compactionFailedAt = now.toEpochMilli();
            LOG.warn("store {}: cannot start a new table ({}); commits go on into the log, retrying in {} s", dir,
                    e.toString(), RETRY_COMPACTION_MILLIS / 1000);
        }
    }

    /**
     * Freezes the changes since the table: commits go on into a new log (durably named before any commit goes
     * to it) and a new delta, while a background thread merges the table and the frozen changes into the next
     * table (see the class comment). Called under the lock.
     */
    private void startCompaction(Instant now) throws IOException {
        long target = logNumber + 1;
        CommitLog next = CommitLog.open(dir.resolve(logName(target)), e -> {
            throw new IllegalStateException("a new log is not empty");
        });
        try {
            TableFile.fsyncDirectory(dir);
        } catch (IOException e) {
            next.close();
            Files.deleteIfExists(next.file());
            throw e;
        }
        log.close();
        log = next;
        logNumber = target;
        // Sized for the changes that start the next table: a map grown from empty by rehashing took a twentieth of
        // the ingest thread at 1M (profiled).
        Layers frozen = new Layers(layers.table(), layers.delta(),
                new ConcurrentHashMap<>((int) Math.min(1 << 20, deltaThreshold() * 4 / 3 + 16)));
        layers = frozen;
        Meta meta = new Meta(new TreeSet<>(hints), count, syncedAtMillis, position);
        compacting = true;
        writer = new Thread(() -> writeTable(target, frozen, meta, now), "restrictd-store-table");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Runs on the background thread: writes table-{@code target}, then makes it the store's table. A failure
     * (a full disk) is retried {@link #RETRY_COMPACTION_MILLIS} after {@code started} (the writer's clock).
     */
    private void writeTable(long target, Layers frozen, Meta meta, Instant startedAt) {
        long started = System.nanoTime();
        Path file = dir.resolve(tableName(target));
        Path written = null;
        try {
            written = TableFile.writeTemporary(file, sink -> writeTable(frozen, meta, sink));
            SortedTableMap<String, byte[]> table = TableFile.open(written);
            synchronized (this) {
                // Named even if the store was closed meanwhile (close waits for it): it holds exactly the commits
                // of the table and logs it replaces, and a reopen then has only the logs after it to replay.
                TableFile.rename(written, file);
                written = null;
                layers = new Layers(table, null, layers.delta());
                long previous = tableNumber;
                tableNumber = target;
                compacting = false;
                notifyAll(); // commits waiting for this table
                // What table-<target> holds now: the older table and the logs merged into it.
                Files.deleteIfExists(dir.resolve(tableName(previous)));
                for (long n = previous; n < target; n++) {
                    Files.deleteIfExists(dir.resolve(logName(n)));
                }
            }
            LOG.info("store {}: wrote {} ({} restrictions, {} changes merged) in {} ms", dir, file.getFileName(),
                    meta.count(), frozen.frozen().size(), (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                compacting = false;
                notifyAll();
                compactionFailedAt = startedAt.toEpochMilli();
                if (tableNumber < target) { // not renamed: the frozen changes stay in front of the old table
                    ConcurrentHashMap<String, byte[]> merged = new ConcurrentHashMap<>(frozen.frozen());
                    merged.putAll(layers.delta());
                    layers = new Layers(layers.table(), null, merged);
                }
                if (closed) {
                    LOG.debug("store {}: table {} abandoned at close: {}", dir, file.getFileName(), e.toString());
                    return;
                }
            }
            LOG.warn("store {}: cannot write {} ({}); commits go on into the log, retrying in {} s", dir,
                    file.getFileName(), e.toString(), RETRY_COMPACTION_MILLIS / 1000);
        } finally {
            if (written != null) {
                try {
                    Files.deleteIfExists(written);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", written, e.toString());
                }
            }
        }
    }

    /** The table's content in key order: the old table's data overlaid with the frozen changes, hints, then meta. */
    private static void writeTable(Layers old, Meta meta, BiConsumer<String, byte[]> sink) {
        // An array in String's own order (TableFile.ORDER): sorting through the comparator's interface took a
        // quarter of this thread at 1M (profiled).
        String[] changed = old.frozen().keySet().toArray(new String[0]);
        Arrays.sort(changed);
        Iterator<Map.Entry<String, byte[]>> base = old.table() == null ? java.util.Collections.emptyIterator()
                : old.table().entryIterator(DATA, true, HINT, false);
        Map.Entry<String, byte[]> b = base.hasNext() ? base.next() : null;
        for (String key : changed) {
            String tableKey = DATA + key;
            while (b != null && b.getKey().compareTo(tableKey) < 0) {
                sink.accept(b.getKey(), b.getValue());
                b = base.hasNext() ? base.next() : null;
            }
            if (b != null && b.getKey().equals(tableKey)) {
                b = base.hasNext() ? base.next() : null;
            }
            byte[] value = old.frozen().get(key);
            if (value != LIFTED) {
                sink.accept(tableKey, value);
            }
        }
        for (; b != null; b = base.hasNext() ? base.next() : null) {
            sink.accept(b.getKey(), b.getValue());
        }
        meta.hints().forEach(h -> sink.accept(HINT + h, LIFTED));
        Map<String, Long> values = new TreeMap<>(TableFile.ORDER);
        values.put("mcount", meta.count());
        values.put("msynced", meta.syncedAtMillis());
        meta.position().nextOffsets().forEach((p, offset) -> values.put("mp" + p, offset));
        values.forEach((k, v) -> sink.accept(k, ByteBuffer.allocate(8).putLong(v).array()));
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

    /**
     * Deletes what a crash left (unfinished tables, older tables, logs merged into the table) and returns the
     * numbers of the logs to replay: the table's and those after it, in order.
     */
    private static List<Long> deleteStale(Path dir, long tableNumber) throws IOException {
        List<Long> logs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                Matcher log = LOG_FILE.matcher(name);
                if (log.matches() && Long.parseLong(log.group(1)) >= tableNumber) {
                    logs.add(Long.parseLong(log.group(1)));
                } else if (!name.equals(tableName(tableNumber))) {
                    Files.deleteIfExists(p);
                }
            }
        }
        logs.sort(null);
        return logs;
    }
}
