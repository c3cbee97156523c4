package io.restrictd.service.store;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.service.core.RestrictionReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store directory ({@code store.path}): an exclusive lock, and generations of stores of which
 * {@code CURRENT} names the live one. A rebuild fills a fresh generation while the live one keeps
 * answering, then {@link #promote}s it in one atomic rename; a crash before that rename reopens the old
 * generation as it was, one after it the new one.
 *
 * <pre>
 *   LOCK            held (fcntl) for as long as a node has the directory open
 *   CURRENT         "gen-7"
 *   gen-7/          a {@link MapDbRestrictionStore}
 * </pre>
 *
 * <p>{@link #reader()} always reads the live generation. Thread-safe.
 */
public final class StoreDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreDirectory.class);
    private static final Pattern GENERATION = Pattern.compile("gen-(\\d+)");
    private static final Pattern LEGACY = Pattern.compile("store-(\\d+)\\.db");

    private final Path dir;
    private final long minDelta;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private volatile RestrictionStore current;
    /** The generation {@link #createFresh} made for a rebuild, until it is promoted. */
    private MapDbRestrictionStore building;

    private StoreDirectory(Path dir, long minDelta, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.minDelta = minDelta;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) and locks a store directory.
     *
     * @throws StoreException if another process holds it, naming the directory and the setting
     */
    public static StoreDirectory open(Path dir) {
        return open(dir, MapDbRestrictionStore.MIN_DELTA);
    }

    /** As {@link #open(Path)}, with stores that write a new table every {@code minDelta} subjects (for tests). */
    static StoreDirectory open(Path dir, long minDelta) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new StoreException("store directory " + dir + " is in use by another restrictd node "
                        + "(lock held on " + dir.resolve("LOCK") + "); give each node its own store.path");
            }
            StoreDirectory store = new StoreDirectory(dir, minDelta, channel, lock);
            String live = store.liveName();
            try {
                store.current = MapDbRestrictionStore.open(dir.resolve(live), store.minDelta);
            } catch (StoreCorruptException e) {
                store.current = store.replaceCorrupt(live, e);
            }
            store.deleteAbandoned();
            return store;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot open store directory " + dir + " (store.path): " + e.getMessage(), e);
        }
    }

    /** The live store. Changes after {@link #promote}. */
    public RestrictionStore current() {
        return current;
    }

    /** Reads the live generation; a read that races a swap is retried once on the new one. */
    public RestrictionReader reader() {
        return this::get;
    }

    private List<Restriction> get(Kind kind, String subject) {
        RestrictionStore store = current;
        try {
            return store.get(kind, subject);
        } catch (StoreException e) {
            RestrictionStore now = current;
            if (now == store) {
                throw e;
            }
            return now.get(kind, subject);
        }
    }

    /**
     * Creates an empty next generation for a rebuild; it is not live until promoted, and until then keeps no
     * in-memory copy of its own (a rebuild does not double the heap the live store needs).
     */
    public synchronized RestrictionStore createFresh() {
        deleteAbandoned();
        String name = "gen-" + (generationOf(current.location().getFileName().toString()) + 1);
        building = MapDbRestrictionStore.openForBuild(dir.resolve(name), minDelta);
        return building;
    }

    /**
     * Makes {@code fresh} (from {@link #createFresh}) the live store: CURRENT is replaced atomically, the old
     * generation closed and deleted. Everything committed to {@code fresh} is durable already.
     */
    public synchronized void promote(RestrictionStore fresh) {
        if (fresh != building) {
            throw new IllegalArgumentException(fresh.location() + " is not the generation createFresh made last");
        }
        MapDbRestrictionStore promoted = building;
        building = null;
        RestrictionStore old = current;
        switchCurrent(fresh.location().getFileName().toString());
        current = fresh;
        old.close(); // before the fresh store's in-memory copy fills: the heap holds one copy at a time
        promoted.serve();
        deleteExactly(old.location().getFileName().toString());
        LOG.info("store rebuilt: {} is live ({} restrictions)", fresh.location(), fresh.size());
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
        }
        try {
            lock.release();
        } catch (IOException e) {
            LOG.warn("cannot release {}", dir.resolve("LOCK"), e);
        }
        closeQuietly(lockChannel);
    }

    /**
     * The live generation's table cannot be mapped. Nothing this code writes can cause that (a table is complete
     * and synced before it has its name, and never changed), a device that lost data can: the generation is
     * deleted and an empty next generation made live. The node then
     * reads the topic from the beginning and is not ready until it has caught up, as a new node would be.
     */
    private RestrictionStore replaceCorrupt(String live, StoreCorruptException e) {
        String next = "gen-" + (generationOf(live) + 1);
        LOG.error("store {} in {} is corrupt ({}): deleting it and starting from an empty store {}; "
                + "the node reads the topic from the beginning and is not ready until it has caught up",
                live, dir, e.getCause() == null ? e.getMessage() : e.getCause().toString(), next);
        deleteExactly(live);
        deleteExactly(next); // a leftover of an unfinished rebuild
        MapDbRestrictionStore fresh = MapDbRestrictionStore.open(dir.resolve(next), minDelta);
        switchCurrent(next);
        return fresh;
    }

    /** Points CURRENT at {@code name}, durably before visibly: the bytes, then the rename, then the directory. */
    private void switchCurrent(String name) {
        try {
            Path tmp = dir.resolve("CURRENT.tmp");
            Files.writeString(tmp, name + "\n", StandardCharsets.UTF_8);
            fsync(tmp);
            Files.move(tmp, dir.resolve("CURRENT"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            fsync(dir);
        } catch (IOException e) {
            throw new StoreException("cannot switch " + dir + "/CURRENT to " + name, e);
        }
    }

    private String liveName() throws IOException {
        Path currentFile = dir.resolve("CURRENT");
        if (Files.exists(currentFile)) {
            String name = Files.readString(currentFile, StandardCharsets.UTF_8).strip();
            if (LEGACY.matcher(name).matches()) {
                LOG.warn("store {} in {} was written by an older restrictd (one MapDB file with a write-ahead log): "
                        + "starting from an empty store; the node reads the topic from the beginning", name, dir);
                deleteGeneration("store-");
                switchCurrent("gen-1");
                return "gen-1";
            }
            if (!GENERATION.matcher(name).matches()) {
                throw new StoreException(currentFile + " names '" + name + "', not a store file");
            }
            return name;
        }
        switchCurrent("gen-1");
        return "gen-1";
    }

    /** Removes generations other than the live one: left by a rebuild that did not finish. */
    private void deleteAbandoned() {
        String live = current.location().getFileName().toString();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> GENERATION.matcher(n).matches() && !n.equals(live))
                    .forEach(n -> deleteExactly(n));
        } catch (IOException e) {
            LOG.warn("cannot list {} for abandoned store files", dir, e);
        }
    }

    /** Deletes the entries of {@code dir} whose names start with {@code prefix}, directories with their files. */
    private void deleteGeneration(String prefix) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith(prefix))::iterator) {
                deleteTree(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete old store generation {} in {}", prefix, dir, e);
        }
    }

    private void deleteExactly(String name) {
        try {
            deleteTree(dir.resolve(name));
        } catch (IOException e) {
            LOG.warn("cannot delete old store generation {} in {}", name, dir, e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (Stream<Path> files = Files.list(p)) {
                for (Path child : (Iterable<Path>) files::iterator) {
                    deleteTree(child);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    /** Flushes a file's (or, on Linux, a directory's) data and metadata to the device. */
    private static void fsync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static long generationOf(String name) {
        Matcher m = GENERATION.matcher(name);
        return m.matches() ? Long.parseLong(m.group(1)) : 0;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }
}
