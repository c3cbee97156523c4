package io.restrictd.service.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.Kind;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaBroker;
import io.restrictd.testkit.Repository;
import io.restrictd.testkit.SambaAdDc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * dirsync mode, kill -9 of a real syncer process ({@code ops/bin/restrictd syncer ops/config/syncer-ad.yml})
 * while it publishes a burst of changes to a real Samba AD DC; the burst goes on while it is dead. After a
 * restart it resumes from its committed DirSync cookie (no full resynchronisation) and:
 * <ul>
 * <li>nothing is lost: the committed view of the topic is exactly what the directory says now (the keys of
 *     every account the shipped filter matches, read back with {@code ldapsearch});</li>
 * <li>nothing is doubled: for each key, no two consecutive committed records are the same (two equal values,
 *     {@code createdAt} aside, or two tombstones), and the first is never a tombstone. The syncer publishes a
 *     key only when its value changes ({@code PublishedState}), reconciliations included, so any repeat is a
 *     change published twice: once before the kill and again after.</li>
 * </ul>
 */
class AdSyncerCrashIT {
    private static final String PREFIX = "adcrash";
    private static final String TOPIC = PREFIX + ".restrictions";
    private static final int ACCOUNTS = 60;
    private static final Duration WAIT = Duration.ofMinutes(3);

    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();
    @RegisterExtension
    static SambaAdDc ad = new SambaAdDc();

    @TempDir
    Path dir;

    @Test
    void shouldResumeFromTheCommittedCookieWithNothingLostOrDoubledAfterAKillDuringABurst() throws Exception {
        ad.load(SambaAdDc.users(ACCOUNTS, i -> "kc" + i, false) + SambaAdDc.users(10, i -> "kd" + i, true));
        Path password = Files.writeString(dir.resolve("ad.password"), ad.rootPassword() + "\n");
        String filter = AdConfig.shipped(password).ldap.filter;
        Path config = Repository.root().resolve("ops/config/syncer-ad.yml");
        try (SyncerProcess s = new SyncerProcess("adcrash", dir, "adcrash", kafka.bootstrapServers(), ad.url(),
                ad.rootPassword(), PREFIX)) {
            s.configFile(config).environment("RESTRICTD_LDAP_BIND_DN", ad.rootDn())
                    .environment("RESTRICTD_LDAP_BASE", "OU=people,DC=example,DC=org")
                    .javaOption("-Ddw.ldap.pollInterval=200ms").start();
            Eventually.within(WAIT, s::logContext,
                    () -> assertThat(committedKeys()).isEqualTo(expectedKeys(filter)).hasSize(30));
            long initial = CommittedView.read(kafka.bootstrapServers(), TOPIC).records();

            // The burst: every kc account disabled, then every other one enabled again, one ldapmodify each.
            List<String> burst = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                burst.add(uac("kc" + i, SambaAdDc.DISABLED));
            }
            for (int i = 0; i < ACCOUNTS; i += 2) {
                burst.add(uac("kc" + i, SambaAdDc.ENABLED));
            }
            AtomicInteger done = new AtomicInteger();
            AtomicReference<Throwable> burstFailure = new AtomicReference<>();
            Thread changer = new Thread(() -> {
                try {
                    for (String change : burst) {
                        ad.ldapmodify(change);
                        done.incrementAndGet();
                    }
                } catch (Throwable t) {
                    burstFailure.set(t);
                }
            }, "ad-burst");
            changer.start();
            Eventually.within(WAIT, s::logContext, () -> assertThat(CommittedView.read(kafka.bootstrapServers(),
                    TOPIC).records()).as("part of the burst committed").isGreaterThan(initial));
            s.kill9();
            int madeAtKill = done.get();
            long committedAtKill = CommittedView.read(kafka.bootstrapServers(), TOPIC).records();
            long writtenAtKill = CommittedView.endOffsets(kafka.bootstrapServers(), TOPIC);
            System.out.printf("AdSyncerCrashIT: %s killed after %d of %d changes; %d burst records committed, %d "
                    + "records on the topic in all (open transaction and markers included)%n", java.time.LocalTime.now(),
                    madeAtKill, burst.size(), committedAtKill - initial, writtenAtKill);
            assertThat(madeAtKill).as("killed while the burst was still being made").isLessThan(burst.size());

            changer.join(WAIT.toMillis());
            assertThat(burstFailure.get()).isNull();
            assertThat(done.get()).isEqualTo(burst.size());
            System.out.println("AdSyncerCrashIT: restarting at " + java.time.LocalTime.now());
            s.start();
            Set<String> expected = expectedKeys(filter);
            assertThat(expected).hasSize(3 * (10 + ACCOUNTS / 2));
            Eventually.within(WAIT, s::logContext, () -> assertThat(committedKeys()).isEqualTo(expected));

            // The timeline, for the report: when each run joined the election and became leader.
            s.logText().lines().filter(l -> l.startsWith("===") || l.matches(".*(joined the election|elected leader|"
                    + "position SyncPosition).*")).forEach(l -> System.out.println("AdSyncerCrashIT log: " + l));
            String restarted = s.logText().substring(s.logText().lastIndexOf("=== adcrash starting"));
            assertThat(restarted).as("resumed from the committed cookie, shown readably")
                    .containsPattern("position SyncPosition\\[dirsync, cookie=\\d+ bytes, sha256 [0-9a-f]{12}, ")
                    .doesNotContain("resynchronised");
            assertThat(repeats(CommittedView.read(kafka.bootstrapServers(), TOPIC).history())).isEmpty();
        }
    }

    private static String uac(String cn, int value) {
        return "dn: " + ad.userDn(cn) + "\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: "
                + value + "\n";
    }

    private static Set<String> committedKeys() {
        return CommittedView.read(kafka.bootstrapServers(), TOPIC).values().keySet();
    }

    /**
     * The keys the directory stands for now: for every account under OU=people that the shipped filter matches
     * (evaluated by the DC), its mail as sender, its sAMAccountName and userPrincipalName as logins.
     */
    private static Set<String> expectedKeys(String filter) {
        Set<String> keys = new HashSet<>();
        String out = ad.ldapsearch(filter, "mail", "sAMAccountName", "userPrincipalName").stdout();
        for (String entry : out.split("\n\n")) {
            List<String> lines = entry.lines().toList();
            if (lines.stream().noneMatch(l -> l.toLowerCase(Locale.ROOT).endsWith(",ou=people,dc=example,dc=org")
                    && l.startsWith("dn: "))) {
                continue;
            }
            for (String l : lines) {
                String[] av = l.split(": ", 2);
                Kind kind = switch (av[0]) {
                    case "mail" -> Kind.SENDER;
                    case "sAMAccountName", "userPrincipalName" -> Kind.LOGIN;
                    default -> null;
                };
                if (kind != null) {
                    keys.add(new RestrictionKey("ldap", kind, av[1]).wire());
                }
            }
        }
        return keys;
    }

    /** Keys whose committed history holds a record equal to the one before it, or starts with a tombstone. */
    static Map<String, List<String>> repeats(Map<String, List<String>> history) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        history.forEach((key, records) -> {
            List<String> content = records.stream().map(AdSyncerCrashIT::withoutCreatedAt).toList();
            boolean repeated = content.get(0) == null;
            for (int i = 1; i < content.size(); i++) {
                repeated |= Objects.equals(content.get(i), content.get(i - 1));
            }
            if (repeated) {
                out.put(key, records);
            }
        });
        return out;
    }

    private static String withoutCreatedAt(String value) {
        return value == null ? null : value.replaceAll("\"createdAt\":\"[^\"]*\"", "");
    }
}
