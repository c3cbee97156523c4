package io.restrictd.service.store;

import static io.restrictd.service.store.StoreDirectoryTest.restriction;
import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapDbRestrictionStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;

    /** Random puts, lifts and expiring puts, with a new table every few commits: every reopen equals the model. */
    @Test
    void shouldHoldExactlyWhatWasCommittedAcrossNewTablesAndReopens() throws Exception {
        Random random = new Random(7);
        Map<String, String> model = new TreeMap<>();
        long offset = 0;
        for (int round = 0; round < 6; round++) {
            try (MapDbRestrictionStore store = MapDbRestrictionStore.open(dir, 40)) {
                assertThat(contents(store)).isEqualTo(model);
                assertThat(store.size()).isEqualTo(model.size());
                assertThat(store.position().next(0)).isEqualTo(round == 0 ? -1 : offset);
                for (int commit = 0; commit < 8; commit++) {
                    List<Change> changes = new ArrayList<>();
                    for (int i = 0; i < 1 + random.nextInt(20); i++) {
                        String subject = "u" + random.nextInt(150) + "@example.org";
                        String source = random.nextBoolean() ? "ldap" : "abuse";
                        String key = source + "|" + subject;
                        if (random.nextInt(4) == 0) {
                            changes.add(new Change.Lift(new RestrictionKey(source, Kind.SENDER, subject)));
                            model.remove(key);
                        } else {
                            String action = "REJECT " + round + "." + commit + "." + i;
                            changes.add(new Change.Put(restriction(source, subject, action, NOW.plusSeconds(3600))));
                            model.put(key, action);
                        }
                        offset++;
                    }
                    store.commit(changes, new Position(Map.of(0, offset)), NOW, false);
                    assertThat(contents(store)).isEqualTo(model);
                }
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            // tables are written in the background: the newest, the log merged into none yet, and (if a table
            // was being written at close) the log started for the commits after it; nothing else
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).as("a table was written, older ones deleted").hasSizeBetween(2, 3)
                    .allMatch(n -> n.matches("table-\\d+\\.sst|log-\\d+"))
                    .filteredOn(n -> n.startsWith("table-")).hasSize(1);
        }
    }

    /**
     * A table that cannot be written (here: its temporary name is taken by a directory) loses nothing: commits
     * go on into the next log, a reopen replays both logs over the old table, and a later attempt writes it.
     */
    @Test
    void shouldKeepEveryCommitWhenANewTableCannotBeWrittenAndWriteItLater() throws Exception {
        Path blocker = dir.resolve("table-1.sst.tmp");
        try (MapDbRestrictionStore store = MapDbRestrictionStore.open(dir, 10)) {
            Files.createDirectories(blocker.resolve("x"));
            for (int i = 0; i < 30; i++) {
                store.commit(List.of(new Change.Put(restriction("ldap", "u" + i + "@example.org", "REJECT " + i, null))),
                        new Position(Map.of(0, i + 1L)), NOW, false);
                awaitNoTableWrite(store);
            }
            assertThat(dir.resolve("table-1.sst")).doesNotExist();
            assertThat(dir.resolve("log-1")).as("commits after the first attempt went on into the next log").exists();
            assertThat(store.size()).isEqualTo(30);
        }
        Files.delete(blocker.resolve("x"));
        Files.delete(blocker);
        try (MapDbRestrictionStore store = MapDbRestrictionStore.open(dir, 10)) {
            assertThat(contents(store)).hasSize(30).containsEntry("ldap|u0@example.org", "REJECT 0")
                    .containsEntry("ldap|u29@example.org", "REJECT 29");
            assertThat(store.position().next(0)).isEqualTo(30L);
            // the next commit starts a table that can be written now
            store.commit(List.of(new Change.Lift(new RestrictionKey("ldap", Kind.SENDER, "u0@example.org"))),
                    new Position(Map.of(0, 31L)), NOW.plusSeconds(31), false);
            awaitNoTableWrite(store);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).sorted())
                        .containsExactly("log-2", "table-2.sst");
            }
        }
        try (MapDbRestrictionStore store = MapDbRestrictionStore.open(dir, 10)) {
            assertThat(contents(store)).hasSize(29).doesNotContainKey("ldap|u0@example.org")
                    .containsEntry("ldap|u29@example.org", "REJECT 29");
            assertThat(store.position().next(0)).isEqualTo(31L);
        }
    }

    private static void awaitNoTableWrite(MapDbRestrictionStore store) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (store.writingTable() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(store.writingTable()).as("the background table write ended").isFalse();
    }

    /** A crash while a table is written leaves its temporary file: the store reopens from the table before it. */
    @Test
    void shouldIgnoreAnUnfinishedTable() throws Exception {
        try (MapDbRestrictionStore store = MapDbRestrictionStore.open(dir, 10)) {
            for (int i = 0; i < 30; i++) {
                store.commit(List.of(new Change.Put(restriction("ldap", "u" + i + "@example.org", "REJECT x", null))),
                        new Position(Map.of(0, i + 1L)), NOW, false);
            }
        }
        Files.write(dir.resolve("table-99.sst.tmp"), new byte[4096]);
        try (MapDbRestrictionStore store = MapDbRestrictionStore.open(dir, 10)) {
            assertThat(store.size()).isEqualTo(30);
            assertThat(store.position().next(0)).isEqualTo(30L);
        }
        assertThat(dir.resolve("table-99.sst.tmp")).doesNotExist();
    }

    /** Expiry hints live in the table too: a restriction written to a table is still swept after a reopen. */
    @Test
    void shouldSweepRestrictionsThatExpireAfterTheyWereWrittenToATable() {
        try (MapDbRestrictionStore store = MapDbRestrictionStore.open(dir, 5)) {
            List<Change> changes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                changes.add(new Change.Put(restriction("abuse", "u" + i + "@example.org", "REJECT x",
                        i < 4 ? NOW.plusSeconds(10) : null)));
            }
            store.commit(changes, new Position(Map.of(0, 10L)), NOW, false);
        }
        try (MapDbRestrictionStore store = MapDbRestrictionStore.open(dir, 5)) {
            assertThat(store.sweepExpired(NOW.plusSeconds(11), 3)).isEqualTo(3);
            assertThat(store.sweepExpired(NOW.plusSeconds(11), 100)).isEqualTo(1);
            assertThat(store.size()).isEqualTo(6);
        }
        try (MapDbRestrictionStore store = MapDbRestrictionStore.open(dir, 5)) {
            assertThat(store.size()).as("the sweep was committed").isEqualTo(6);
            assertThat(store.get(Kind.SENDER, "u0@example.org")).isEmpty();
        }
    }

    private static Map<String, String> contents(RestrictionStore store) {
        Map<String, String> out = new TreeMap<>();
        store.forEach((Restriction r) -> out.put(r.key().source() + "|" + r.key().subject(), r.action().render()));
        return out;
    }
}
