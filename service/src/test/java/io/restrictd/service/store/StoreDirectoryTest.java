package io.restrictd.service.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoreDirectoryTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;

    static Restriction restriction(String source, String subject, String action, Instant expiresAt) {
        return new Restriction(new RestrictionKey(source, Kind.SENDER, subject), AccessAction.parse(action),
                "reason", Map.of("dn", "uid=x,dc=example,dc=org"), "actor", "T-1", NOW.minusSeconds(60), expiresAt);
    }

    @Test
    void shouldKeepOneRestrictionPerSourceAndLiftOnlyItsOwn() {
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            RestrictionStore store = stores.current();
            store.commit(List.of(
                    new Change.Put(restriction("ldap", "user@example.org", "REJECT ldap", null)),
                    new Change.Put(restriction("abuse", "user@example.org", "REJECT abuse", null)),
                    new Change.Put(restriction("ldap", "user@example.org", "REJECT ldap again", null))),
                    new Position(Map.of(0, 3L)), NOW, false);
            assertThat(store.get(Kind.SENDER, "user@example.org")).extracting(r -> r.action().render())
                    .containsExactly("REJECT abuse", "REJECT ldap again");
            assertThat(store.size()).isEqualTo(2);

            store.commit(List.of(new Change.Lift(new RestrictionKey("ldap", Kind.SENDER, "user@example.org"))),
                    new Position(Map.of(0, 4L)), NOW, false);
            assertThat(store.get(Kind.SENDER, "user@example.org")).extracting(r -> r.key().source())
                    .containsExactly("abuse");
            assertThat(store.size()).isEqualTo(1);
            assertThat(store.position().next(0)).isEqualTo(4L);
        }
    }

    @Test
    void shouldReopenWithDataAndPositionCommittedTogether() {
        Restriction r = restriction("abuse", "a@example.org", "550 5.7.1 gone", NOW.plusSeconds(600));
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            stores.current().commit(List.of(new Change.Put(r)), new Position(Map.of(0, 10L, 2, 7L)), NOW, true);
        }
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            assertThat(stores.current().get(Kind.SENDER, "a@example.org")).containsExactly(r);
            assertThat(stores.current().position().nextOffsets()).isEqualTo(Map.of(0, 10L, 2, 7L));
            assertThat(stores.current().syncedAt()).isEqualTo(NOW);
        }
    }

    @Test
    void shouldRefuseASecondOpenOfTheSameDirectory() {
        try (StoreDirectory first = StoreDirectory.open(dir)) {
            assertThatThrownBy(() -> StoreDirectory.open(dir))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("in use by another restrictd node")
                    .hasMessageContaining("store.path");
        }
    }

    @Test
    void shouldSweepExpiredAndStoreAlreadyExpiredPutsAsLifts() {
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            RestrictionStore store = stores.current();
            store.commit(List.of(
                    new Change.Put(restriction("abuse", "soon@example.org", "REJECT soon", NOW.plusSeconds(10))),
                    new Change.Put(restriction("abuse", "later@example.org", "REJECT later", NOW.plusSeconds(1000))),
                    new Change.Put(restriction("abuse", "past@example.org", "REJECT past", NOW))),
                    new Position(Map.of(0, 3L)), NOW, false);
            assertThat(store.get(Kind.SENDER, "past@example.org")).isEmpty();
            assertThat(store.size()).isEqualTo(2);

            assertThat(store.sweepExpired(NOW.plusSeconds(11), 100)).isEqualTo(1);
            assertThat(store.get(Kind.SENDER, "soon@example.org")).isEmpty();
            assertThat(store.get(Kind.SENDER, "later@example.org")).hasSize(1);
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @Test
    void shouldNotSweepARestrictionWhoseExpiryWasReplaced() {
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            RestrictionStore store = stores.current();
            store.commit(List.of(new Change.Put(restriction("abuse", "u@example.org", "REJECT a", NOW.plusSeconds(10)))),
                    new Position(Map.of(0, 1L)), NOW, false);
            store.commit(List.of(new Change.Put(restriction("abuse", "u@example.org", "REJECT b", null))),
                    new Position(Map.of(0, 2L)), NOW, false);
            assertThat(store.sweepExpired(NOW.plusSeconds(3600), 100)).isZero();
            assertThat(store.get(Kind.SENDER, "u@example.org")).extracting(r -> r.action().render())
                    .containsExactly("REJECT b");
        }
    }

    @Test
    void shouldPromoteAFreshGenerationAndDeleteTheOld() throws Exception {
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            stores.current().commit(List.of(new Change.Put(restriction("ldap", "old@example.org", "REJECT old", null))),
                    new Position(Map.of(0, 1L)), NOW, false);
            Path oldFile = stores.current().location();
            RestrictionStore fresh = stores.createFresh();
            fresh.commit(List.of(new Change.Put(restriction("ldap", "new@example.org", "REJECT new", null))),
                    new Position(Map.of(0, 5L)), NOW, false);
            assertThat(stores.reader().get(Kind.SENDER, "old@example.org")).hasSize(1);
            stores.promote(fresh);
            assertThat(stores.reader().get(Kind.SENDER, "old@example.org")).isEmpty();
            assertThat(stores.reader().get(Kind.SENDER, "new@example.org")).hasSize(1);
            assertThat(oldFile).doesNotExist();
            assertThat(Files.readString(dir.resolve("CURRENT")).strip()).isEqualTo(fresh.location().getFileName().toString());
        }
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            assertThat(stores.current().position().next(0)).isEqualTo(5L);
        }
    }

    @Test
    void shouldBuildAFreshGenerationWithoutAnInMemoryCopyUntilPromoted() throws Exception {
        // Tables every 10 subjects: the fresh generation's reads cross the log's changes and several tables.
        try (StoreDirectory stores = StoreDirectory.open(dir, 10)) {
            RestrictionStore fresh = stores.createFresh();
            for (int batch = 0; batch < 5; batch++) {
                List<Change> changes = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    int user = batch * 12 + i;
                    changes.add(new Change.Put(restriction("ldap", "u" + user + "@example.org", "REJECT " + user,
                            user % 3 == 0 ? NOW.plusSeconds(10) : null)));
                }
                if (batch > 0) { // replace one from the last batch, lift another: both read back from the files
                    changes.add(new Change.Put(restriction("ldap", "u" + (batch * 12 - 1) + "@example.org",
                            "REJECT replaced", null)));
                    changes.add(new Change.Lift(new RestrictionKey("ldap", Kind.SENDER,
                            "u" + (batch * 12 - 2) + "@example.org")));
                }
                fresh.commit(changes, new Position(Map.of(0, (batch + 1) * 100L)), NOW, false);
            }
            assertThat(((MapDbRestrictionStore) fresh).inMemory()).isFalse();
            assertThat(fresh.size()).isEqualTo(60 - 4);
            // 20 of the 60 expire (user % 3 == 0); none of them was replaced or lifted
            assertThat(fresh.sweepExpired(NOW.plusSeconds(11), 1000)).isEqualTo(20);
            assertThat(fresh.get(Kind.SENDER, "u11@example.org")).extracting(r -> r.action().render())
                    .containsExactly("REJECT replaced");
            assertThat(fresh.get(Kind.SENDER, "u10@example.org")).isEmpty();
            assertThat(fresh.get(Kind.SENDER, "u12@example.org")).isEmpty();
            assertThat(fresh.get(Kind.SENDER, "u13@example.org")).hasSize(1);

            stores.promote(fresh);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!((MapDbRestrictionStore) stores.current()).inMemory() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(((MapDbRestrictionStore) stores.current()).inMemory()).isTrue();
            assertThat(stores.reader().get(Kind.SENDER, "u11@example.org")).extracting(r -> r.action().render())
                    .containsExactly("REJECT replaced");
            assertThat(stores.reader().get(Kind.SENDER, "u13@example.org")).hasSize(1);
            assertThat(stores.current().size()).isEqualTo(60 - 4 - 20);
        }
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            assertThat(stores.current().size()).isEqualTo(60 - 4 - 20);
            assertThat(stores.current().position().next(0)).isEqualTo(500L);
            assertThat(stores.reader().get(Kind.SENDER, "u12@example.org")).isEmpty();
        }
    }

    @Test
    void shouldRefuseToPromoteAStoreItDidNotCreate() {
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            assertThatThrownBy(() -> stores.promote(stores.current()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("createFresh");
        }
    }

    @Test
    void shouldListEverythingStored() {
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            List<Change> changes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                changes.add(new Change.Put(restriction("abuse", "u" + i + "@example.org", "REJECT x", null)));
            }
            stores.current().commit(changes, new Position(Map.of(0, 50L)), NOW, false);
            List<Restriction> all = new ArrayList<>();
            stores.current().forEach(all::add);
            assertThat(all).hasSize(50);
        }
    }

    /** A kill -9 in the middle of a commit leaves part of its log record: the store reopens at the commit before. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 100, 5000})
    void shouldReopenAtTheLastWholeCommitWhenTheLogEndsInAPartialRecord(int cut) throws Exception {
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            stores.current().commit(List.of(new Change.Put(restriction("abuse", "a@example.org", "REJECT a", null))),
                    new Position(Map.of(0, 1L)), NOW, false);
            List<Change> changes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                changes.add(new Change.Put(restriction("abuse", "user" + i + "@example.org", "REJECT gone", null)));
            }
            stores.current().commit(changes, new Position(Map.of(0, 101L)), NOW, true);
        }
        Path log = dir.resolve("gen-1").resolve("log-0");
        byte[] bytes = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(bytes, bytes.length - cut));

        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            assertThat(stores.current().size()).isEqualTo(1);
            assertThat(stores.current().position().next(0)).isEqualTo(1L);
            assertThat(stores.current().syncedAt()).isNull();
            assertThat(stores.current().get(Kind.SENDER, "user0@example.org")).isEmpty();
            stores.current().commit(List.of(new Change.Put(restriction("abuse", "b@example.org", "REJECT b", null))),
                    new Position(Map.of(0, 2L)), NOW, false);
        }
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            assertThat(stores.current().size()).as("the next commit follows the last whole one").isEqualTo(2);
            assertThat(stores.current().position().next(0)).isEqualTo(2L);
        }
    }

    @Test
    void shouldStartEmptyFromAStoreOfAnOlderVersion() throws Exception {
        Files.writeString(dir.resolve("CURRENT"), "store-3.db\n");
        Files.write(dir.resolve("store-3.db"), new byte[100]);
        try (StoreDirectory stores = StoreDirectory.open(dir)) {
            assertThat(stores.current().position().isUnknown()).isTrue();
            assertThat(dir.resolve("store-3.db")).doesNotExist();
        }
    }
}
