package io.restrictd.service.store;

import static io.restrictd.service.store.StoreDirectoryTest.restriction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restrictd.schema.Kind;
import io.restrictd.testkit.SmallDisk;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on a real, small tmpfs that fills up: commits fail with a {@link StoreException} and change nothing,
 * lookups keep answering, no SIGBUS ends the JVM, and commits resume once space returns. Mounting needs root:
 * skipped otherwise, with a message.
 */
class StoreDiskFullIT {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void shouldRefuseCommitsWhileTheDiskIsFullAndResumeWhenSpaceReturns() throws Exception {
        assumeTrue(SmallDisk.available(), "StoreDiskFullIT: " + SmallDisk.NEEDS_ROOT);
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("small"), "8m")) {
            Path mount = disk.path();
            try (StoreDirectory stores = StoreDirectory.open(mount.resolve("store"), 2000)) {
                long offset = commit(stores, 0, 100);
                disk.fill(64 << 10);
                long before = offset;
                assertThatThrownBy(() -> {
                    for (long o = before; ; o = commit(stores, o, 500)) {
                        // until the disk is full
                    }
                }).isInstanceOf(StoreException.class).hasMessageContaining("cannot commit");
                offset = stores.current().position().next(0);
                assertThat(stores.current().get(Kind.SENDER, "u0@example.org")).as("lookups go on").hasSize(1);
                assertThatThrownBy(() -> commit(stores, stores.current().position().next(0), 500))
                        .isInstanceOf(StoreException.class);
                assertThat(stores.current().position().next(0)).as("a failed commit changes nothing").isEqualTo(offset);

                disk.free();
                offset = commit(stores, offset, 500);
                assertThat(stores.current().position().next(0)).isEqualTo(offset);
            }
            try (StoreDirectory stores = StoreDirectory.open(mount.resolve("store"), 2000)) {
                long position = stores.current().position().next(0);
                assertThat(stores.current().size()).as("every committed put, nothing of the failed ones")
                        .isEqualTo(position);
            }
        }
    }

    /** Commits {@code n} new restrictions at offsets from {@code offset}; returns the next offset. */
    private static long commit(StoreDirectory stores, long offset, int n) {
        List<Change> changes = new ArrayList<>();
        for (long o = offset; o < offset + n; o++) {
            changes.add(new Change.Put(restriction("ldap", "u" + o + "@example.org", "REJECT " + o, null)));
        }
        stores.current().commit(changes, new Position(Map.of(0, offset + n)), NOW, false);
        return offset + n;
    }
}
