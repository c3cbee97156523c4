package io.restrictd.service.store;

import static io.restrictd.service.store.CrashLoopHistory.batch;
import static io.restrictd.service.store.CrashLoopHistory.batchEnd;
import static io.restrictd.service.store.CrashLoopHistory.now;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * The process {@link StoreCrashLoopIT} kills: commits {@link CrashLoopHistory}'s batches from where its store
 * stands, sweeps every third batch, now and then rebuilds a fresh generation from offset 0 and promotes it,
 * and writes a new table every 2000 subjects. Prints each phase as it starts, so the test knows what it
 * interrupted.
 *
 * <pre>CrashLoopWriter STORE_DIR SEED</pre>
 */
public final class CrashLoopWriter {
    private CrashLoopWriter() {
    }

    public static void main(String[] args) {
        Random random = new Random(Long.parseLong(args[1]));
        try (StoreDirectory stores = StoreDirectory.open(Path.of(args[0]), 2000)) {
            long position = Math.max(0, stores.current().position().next(0));
            System.out.println("phase open " + position);
            for (int n = 1; ; n++) {
                long end = batchEnd(position);
                System.out.println("phase commit " + end);
                stores.current().commit(batch(position), new io.restrictd.service.store.Position(Map.of(0, end)),
                        now(end), false);
                position = end;
                if (n % 3 == 0) {
                    System.out.println("phase sweep");
                    stores.current().sweepExpired(now(position), 500);
                }
                if (random.nextInt(6) == 0) {
                    System.out.println("phase rebuild");
                    rebuild(stores, position);
                }
            }
        }
    }

    private static void rebuild(StoreDirectory stores, long upTo) {
        RestrictionStore fresh = stores.createFresh();
        for (long at = 0; at < upTo; at = batchEnd(at)) {
            fresh.commit(batch(at), new io.restrictd.service.store.Position(Map.of(0, batchEnd(at))),
                    now(batchEnd(at)), false);
        }
        System.out.println("phase promote");
        stores.promote(fresh);
    }
}
