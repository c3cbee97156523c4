package io.restrictd.service.store;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/**
 * How long a lookup of a stored key waits while the store commits, measured in one run against MapDB read
 * directly (what lookups did before the store kept its in-memory copy) and against {@link MapDbRestrictionStore}.
 * A benchmark, not a test: it asserts nothing and prints a latency table.
 *
 * <pre>
 * ./mvnw -q -o -pl service test-compile
 * java -cp service/target/restrictd.jar:service/target/test-classes io.restrictd.service.store.CommitLockProbe [CHANGES]
 * </pre>
 *
 * One writer thread commits batches of 2000 new restrictions (CHANGES in all, default 400000) while a reader
 * thread looks up one stored key every 200 µs.
 */
public final class CommitLockProbe {
    private static final int BATCH = 2000;
    private static final String HIT = "hit@example.org";

    private CommitLockProbe() {
    }

    public static void main(String[] args) throws Exception {
        int changes = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        Path dir = Files.createTempDirectory("commit-lock-probe");
        System.out.printf("lookups of a stored key while %d new restrictions are committed %d at a time (µs)%n",
                changes, BATCH);
        System.out.printf("%-28s %8s %8s %8s %8s %9s %9s%n", "reader", "lookups", "p50", "p99", "p99.9", "max",
                ">= 10 ms");
        probeMapDb(dir.resolve("mapdb.db"), changes);
        probeStore(dir.resolve("store"), changes);
    }

    /** MapDB as the store opens it, read directly. */
    private static void probeMapDb(Path file, int changes) throws InterruptedException {
        DB db = DBMaker.fileDB(file.toFile()).fileMmapEnableIfSupported().fileMmapPreclearDisable()
                .allocateIncrement(16L << 20).transactionEnable().make();
        HTreeMap<String, byte[]> map = db.hashMap("restrictions", Serializer.STRING, Serializer.BYTE_ARRAY)
                .layout(0, 32, 4).createOrOpen();
        byte[] value = new byte[120];
        map.put("sender|" + HIT, value);
        db.commit();
        Histogram h = run(() -> map.get("sender|" + HIT), () -> {
            for (int i = 0; i < changes; i++) {
                map.put("sender|user" + i + "@example.org", value);
                if ((i + 1) % BATCH == 0) {
                    db.commit();
                }
            }
            db.commit();
        });
        db.close();
        print("MapDB get (before)", h);
    }

    /** The store, as lookups read it now. */
    private static void probeStore(Path dir, int changes) throws InterruptedException {
        Instant now = Instant.now();
        AccessAction action = AccessAction.parse("REJECT This account is not allowed to send emails");
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            RestrictionStore store = stores.current();
            store.commit(List.of(put(HIT, action, now)), new Position(Map.of(0, 1L)), now, false);
            Histogram h = run(() -> store.get(Kind.SENDER, HIT).isEmpty() ? null : HIT, () -> {
                List<Change> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < changes; i++) {
                    batch.add(put("user" + i + "@example.org", action, now));
                    if (batch.size() == BATCH) {
                        store.commit(batch, new Position(Map.of(0, i + 2L)), now, false);
                        batch.clear();
                    }
                }
                store.commit(batch, new Position(Map.of(0, changes + 1L)), now, false);
            });
            print("store.get (now)", h);
        }
    }

    private static Change put(String subject, AccessAction action, Instant now) {
        return new Change.Put(new Restriction(new RestrictionKey("abuse", Kind.SENDER, subject), action, "probe",
                Map.of(), "probe", null, now, null));
    }

    /** Runs {@code writer} on this thread while a reader times {@code lookup}; the reader's latencies. */
    private static Histogram run(Supplier<Object> lookup, Runnable writer) throws InterruptedException {
        Histogram h = new Histogram(3_600_000_000L, 3);
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                long t0 = System.nanoTime();
                if (lookup.get() == null) {
                    throw new IllegalStateException("the stored key was not found");
                }
                h.recordValue((System.nanoTime() - t0) / 1000);
                LockSupport.parkNanos(200_000);
            }
        }, "probe-reader");
        reader.start();
        writer.run();
        done.set(true);
        reader.join();
        return h;
    }

    private static void print(String what, Histogram h) {
        long slow = h.getTotalCount() - h.getCountBetweenValues(0, 9_999);
        System.out.printf("%-28s %8d %8d %8d %8d %9d %9d%n", what, h.getTotalCount(), h.getValueAtPercentile(50),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), slow);
    }
}
