package io.restrictd.service.store;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The store alone, at one size (no Kafka, no decoding): ingest rate into a new store and as a backlog on a
 * warm one, lookup latency while ingesting, reopen to first answer and to everything in memory, heap, RSS and
 * size on disk. A benchmark, not a test: it asserts nothing. Run by {@code ops/bench/store}:
 *
 * <pre>
 * java -Xmx512m -cp service/target/restrictd.jar:service/target/test-classes io.restrictd.service.store.StoreBench N DIR [BACKLOG]
 * </pre>
 *
 * The warm store's backlog is {@code BACKLOG} changes (100,000 unless given), half of them updates of stored
 * subjects and half new ones.
 *
 * A reader thread looks up a stored or an unstored key every 100 µs while the writer commits 10,000 changes
 * at a time (what {@code ingest.maxCommitChanges} defaults to); each lookup probes 6 keys, as a miss does.
 */
public final class StoreBench {
    private static final int BATCH = 10_000;
    private static final int BACKLOG = 100_000;
    private static final Instant NOW = Instant.now();
    private static final AccessAction ACTION =
            AccessAction.parse("REJECT This account is not allowed to send emails, plz talk to abuse@example.org");

    private StoreBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int backlog = args.length > 2 ? Integer.parseInt(args[2]) : BACKLOG;
        Path dir = Files.createTempDirectory(Path.of(args.length > 1 ? args[1] : "/tmp"), "store-bench");
        long offset = 0;
        try (MapDbRestrictionStore store = MapDbRestrictionStore.open(dir)) {
            long started = System.nanoTime();
            Histogram lookups = whileReading(store, n, () -> fill(store, 0, n, 0));
            report(n, "new store: ingest", n, started, lookups);
            offset = n;
        }
        long opened = System.nanoTime();
        try (MapDbRestrictionStore store = MapDbRestrictionStore.open(dir)) {
            store.get(Kind.SENDER, "user1@example.org");
            long first = System.nanoTime();
            while (!store.inMemory()) {
                Thread.sleep(5);
            }
            long warm = System.nanoTime();
            System.out.printf("%9d  reopen: first answer %6.0f ms, all in memory %6.0f ms, %d restrictions%n", n,
                    (first - opened) / 1e6, (warm - opened) / 1e6, store.size());
            System.out.printf("%9d  heap used %4d MiB, RSS %4d MiB, on disk %4d MiB%n", n, heapMiB(), rssMiB(),
                    du(dir) >> 20);
            long started = System.nanoTime();
            long from = offset;
            // half updates of stored subjects, half new ones: a warm node working off a backlog
            Histogram lookups = whileReading(store, n, () -> fill(store, n - backlog / 2, backlog, from));
            report(n, "warm store: backlog " + backlog, backlog, started, lookups);
        }
        deleteTree(dir);
        rebuild(n, Files.createTempDirectory(Path.of(args.length > 1 ? args[1] : "/tmp"), "store-bench-rebuild"));
        longestLog(n, Files.createTempDirectory(Path.of(args.length > 1 ? args[1] : "/tmp"), "store-bench-log"));
    }

    /**
     * What a long log costs a restart: a store whose log holds as many changed subjects as start a table at
     * size {@code n}, reopened to its first answer. A crash while the next table is being written can leave
     * two such logs to replay.
     */
    private static void longestLog(int n, Path dir) throws Exception {
        // what deltaThreshold() gives a serving store of n restrictions
        int changes = (int) Math.max(MapDbRestrictionStore.MIN_DELTA, Math.min(MapDbRestrictionStore.MAX_DELTA, n / 2));
        try (MapDbRestrictionStore store = MapDbRestrictionStore.open(dir, changes + 1L)) {
            fill(store, 0, changes, 0);
        }
        long size = du(dir);
        long opened = System.nanoTime();
        try (MapDbRestrictionStore store = MapDbRestrictionStore.open(dir)) {
            store.get(Kind.SENDER, "user1@example.org");
            System.out.printf("%9d  reopen with %d changes (%d MiB) in the log: first answer %6.0f ms%n", n, changes,
                    size >> 20, (System.nanoTime() - opened) / 1e6);
        }
        deleteTree(dir);
    }

    /**
     * A rebuild as ingest runs one: the live generation holds {@code n} and is in memory, a fresh one is filled
     * with {@code n} beside it, promoted, and filled into memory in its turn. Reports the heap left after a full
     * collection with the live store alone, at the rebuild's largest point (just before promotion) and after,
     * and the maximum heap it ran in (an OutOfMemoryError ends the benchmark).
     */
    private static void rebuild(int n, Path dir) throws Exception {
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            fill(stores.current(), 0, n, 0);
            awaitInMemory(stores.current());
            long alone = heapMiB();
            long started = System.nanoTime();
            RestrictionStore fresh = stores.createFresh();
            fill(fresh, 0, n, 0);
            long both = heapMiB();
            stores.promote(fresh);
            awaitInMemory(stores.current());
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("%9d  rebuild: %8.0f changes/s to promoted and in memory; heap after full GC: live store"
                    + " alone %4d MiB, before promotion (both) %4d MiB, after %4d MiB; ran in a %d MiB heap%n", n,
                    n / seconds, alone, both, heapMiB(), Runtime.getRuntime().maxMemory() >> 20);
        }
        deleteTree(dir);
    }

    private static void awaitInMemory(RestrictionStore store) throws InterruptedException {
        while (!((MapDbRestrictionStore) store).inMemory()) {
            Thread.sleep(5);
        }
    }

    private static void fill(RestrictionStore store, int firstUser, int count, long offset) {
        List<Change> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < count; i++) {
            batch.add(new Change.Put(restriction(firstUser + i)));
            if (batch.size() == BATCH || i == count - 1) {
                store.commit(batch, new Position(Map.of(0, offset + i + 1)), NOW, false);
                batch.clear();
            }
        }
    }

    private static Restriction restriction(int user) {
        return new Restriction(new RestrictionKey("ldap", Kind.SENDER, "user" + user + "@example.org"), ACTION,
                "bench", Map.of("dn", "uid=user" + user + ",ou=people,dc=example,dc=org"), "syncer", null,
                NOW.minusSeconds(60), null);
    }

    /** Runs {@code writer} while another thread looks up keys; returns the lookup latencies in ns. */
    private static Histogram whileReading(RestrictionStore store, int n, Runnable writer) throws Exception {
        Histogram latencies = new Histogram(3);
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            Random random = new Random(1);
            while (!done.get()) {
                long t = System.nanoTime();
                int user = random.nextInt(2 * n);
                for (int probe = 0; probe < 6; probe++) {
                    store.get(Kind.SENDER, probe == 0 ? "user" + user + "@example.org" : "x" + probe + user);
                }
                latencies.recordValue(System.nanoTime() - t);
                LockSupport.parkNanos(100_000);
            }
        });
        reader.start();
        writer.run();
        done.set(true);
        reader.join();
        return latencies;
    }

    private static void report(int n, String what, int events, long started, Histogram lookups) {
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%9d  %-20s %8.0f changes/s  lookups p50 %5.1f µs p99 %7.1f µs max %8.1f µs (%d)%n", n,
                what, events / seconds, lookups.getValueAtPercentile(50) / 1e3,
                lookups.getValueAtPercentile(99) / 1e3, lookups.getMaxValue() / 1e3, lookups.getTotalCount());
    }

    private static long heapMiB() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    private static long rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
            }
        }
        return -1;
    }

    private static long du(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
