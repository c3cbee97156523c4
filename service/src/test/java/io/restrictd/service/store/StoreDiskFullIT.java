package io.restrictd.service.store;

import static io.restrictd.service.store.StoreDirectoryTest.restriction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restrictd.schema.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
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
        assumeTrue("root".equals(System.getProperty("user.name")), "StoreDiskFullIT mounts a tmpfs: run it as root");
        Path mount = Files.createDirectory(tmp.resolve("small"));
        run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString());
        try {
            Path filler = mount.resolve("filler");
            try (StoreDirectory stores = StoreDirectory.open(mount.resolve("store"), 2000)) {
                long offset = commit(stores, 0, 100);
                fill(filler, mount);
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

                Files.delete(filler);
                offset = commit(stores, offset, 500);
                assertThat(stores.current().position().next(0)).isEqualTo(offset);
            }
            try (StoreDirectory stores = StoreDirectory.open(mount.resolve("store"), 2000)) {
                long position = stores.current().position().next(0);
                assertThat(stores.current().size()).as("every committed put, nothing of the failed ones")
                        .isEqualTo(position);
            }
        } finally {
            run("umount", "-l", mount.toString());
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

    /** Writes {@code filler} until the file system is full, then frees 64 KiB of it. */
    private static void fill(Path filler, Path mount) throws IOException {
        byte[] block = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // the disk is full
        }
        try (var channel = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(Math.max(0, channel.size() - block.length));
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", command), out).isZero();
    }
}
