package io.restrictd.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.Restriction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process ({@link CrashLoopWriter}) killed with SIGKILL at random instants, over and over: while it
 * commits, sweeps, writes a new table, rebuilds a fresh generation or promotes it. After every kill the store
 * must reopen (never unusable), at a position no earlier than the last one seen, holding exactly what the
 * topic ({@link CrashLoopHistory}) holds up to that position (never a mix).
 *
 * <p>50 kills by default; 500 with {@code -Drestrictd.crashloop.kills=500} (or env {@code RESTRICTD_CRASHLOOP_KILLS}):
 * <pre>./mvnw -B -o -pl service -am verify -Dit.test=StoreCrashLoopIT -Drestrictd.crashloop.kills=500 -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false</pre>
 */
class StoreCrashLoopIT {
    private static final List<String> TARGETS = List.of("commit", "sweep", "rebuild", "commit", "promote");

    @TempDir
    Path tmp;

    @Test
    void shouldReopenSomeCommittedStateAfterEveryKill() throws Exception {
        int kills = Integer.parseInt(System.getProperty("restrictd.crashloop.kills",
                System.getenv().getOrDefault("RESTRICTD_CRASHLOOP_KILLS", "50")));
        Path store = tmp.resolve("store");
        Random random = new Random(20261202);
        Map<String, Integer> killedIn = new HashMap<>();
        List<String> failures = new ArrayList<>();
        long lastPosition = 0;
        int unusable = 0;
        int mixed = 0;
        for (int kill = 0; kill < kills; kill++) {
            Path out = tmp.resolve("writer.out");
            Process writer = new ProcessBuilder(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    CrashLoopWriter.class.getName(), store.toString(), String.valueOf(kill))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            // Each kill aims at a phase in turn (a plain commit, which often writes a new table, a sweep, a
            // rebuild, a promotion), then lands at a random instant within it or shortly after.
            String target = TARGETS.get(kill % TARGETS.size());
            awaitPhase(writer, out, target);
            Thread.sleep(random.nextInt(target.equals("commit") ? 1500 : 300));
            assertThat(writer.isAlive()).as("the writer runs until killed: %s", Files.readString(out)).isTrue();
            writer.destroyForcibly(); // SIGKILL
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            killedIn.merge(lastPhase(out), 1, Integer::sum);
            try (StoreDirectory stores = StoreDirectory.open(store)) {
                long position = Math.max(0, stores.current().position().next(0));
                String wrong = compare(stores.current(), position);
                if (position < lastPosition) {
                    wrong = "position went back from " + lastPosition + " to " + position;
                }
                if (wrong != null) {
                    mixed++;
                    failures.add("after kill " + kill + " (" + lastPhase(out) + "): " + wrong);
                }
                lastPosition = position;
            } catch (StoreException e) {
                unusable++;
                failures.add("after kill " + kill + " (" + lastPhase(out) + "): " + e);
            }
            if ((kill + 1) % 25 == 0) { // a long run on demand shows where it is, and what it found so far
                System.out.printf("store crash loop: %d of %d restarts, %d unusable stores, %d mixed states%n", kill + 1,
                        kills, unusable, mixed);
            }
        }
        System.out.printf("store crash loop: %d restarts, %d unusable stores, %d mixed states, final position %d, "
                + "killed while: %s%n", kills, unusable, mixed, lastPosition, killedIn);
        assertThat(failures).isEmpty();
        assertThat(lastPosition).as("the writer made progress").isPositive();
    }

    /** Null if the store holds exactly the topic up to {@code position}, else what differs. */
    private static String compare(RestrictionStore store, long position) {
        Map<String, Restriction> model = CrashLoopHistory.model(position);
        Map<String, Restriction> stored = new HashMap<>();
        store.forEach(r -> stored.put(r.key().source() + "|" + r.key().subject(), r));
        if (store.size() != stored.size()) {
            return "size() says " + store.size() + ", it holds " + stored.size();
        }
        for (Map.Entry<String, Restriction> e : stored.entrySet()) {
            if (!e.getValue().equals(model.get(e.getKey()))) {
                return "holds " + e.getKey() + " = " + e.getValue().action().render() + ", the topic at " + position
                        + " has " + (model.get(e.getKey()) == null ? "nothing" : model.get(e.getKey()).action().render());
            }
        }
        for (Map.Entry<String, Restriction> e : model.entrySet()) {
            if (e.getValue().activeAt(CrashLoopHistory.now(position)) && !stored.containsKey(e.getKey())) {
                return "lacks " + e.getKey() + " = " + e.getValue().action().render() + " (topic at " + position + ")";
            }
        }
        return null;
    }

    /** Waits (up to a minute) for the writer to reach a phase: its JVM's start is not what this test is about. */
    private static void awaitPhase(Process writer, Path out, String phase) throws Exception {
        for (int i = 0; i < 1200 && !Files.readString(out).contains("phase " + phase); i++) {
            if (!writer.isAlive()) {
                throw new AssertionError("the writer ended: " + Files.readString(out));
            }
            Thread.sleep(50);
        }
    }

    private static String lastPhase(Path out) throws IOException {
        String phase = "start";
        for (String line : Files.readAllLines(out)) {
            if (line.startsWith("phase ")) {
                phase = line.split(" ")[1];
            } else if (line.contains("wrote table-")) {
                phase = "commit+table";
            }
        }
        return phase;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
