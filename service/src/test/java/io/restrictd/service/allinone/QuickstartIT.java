package io.restrictd.service.allinone;

import static io.restrictd.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.FreePort;
import io.restrictd.testkit.Postfix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code ops/bin/restrictd quickstart}, as a newcomer runs it: the demo directory,
 * the syncer, the embedded broker and the node in one process, checked through Postfix's own client
 * ({@code postmap -q}), {@code ldapmodify}, and the launcher's own {@code lookup} and {@code demo} commands.
 */
class QuickstartIT {
    private static final Duration READY = Duration.ofMinutes(3);
    private static final String LDAP_TEXT = "This account is not allowed to send emails, plz talk to abuse@example.org";
    private static final List<String> RESTRICTED = List.of("alice@example.org", "carol@example.org",
            "dave@example.org", "d.example@example.org");
    private static final List<String> FREE = List.of("bob@example.org", "erin@example.org", "frank@example.org");

    @TempDir
    Path dir;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private Launcher quickstart;

    private List<String> args(Path data) {
        List<String> a = new ArrayList<>(List.of("quickstart", "--data", data.toString()));
        if (ports.isEmpty()) {
            for (String p : List.of("socketmap", "policy", "http", "admin", "kafka", "kafka-controller", "ldap")) {
                ports.put(p, FreePort.find());
            }
        }
        ports.forEach((name, port) -> a.addAll(List.of("--" + name + "-port", String.valueOf(port))));
        return a;
    }

    private String table() {
        return "socketmap:inet:127.0.0.1:" + ports.get("socketmap") + ":sender";
    }

    private Launcher start(Path data) {
        Launcher l = Launcher.start(Map.of(), dir.resolve("quickstart.log"), args(data));
        await("the quickstart banner", READY, 250, l::log, log -> log.contains("is ready") || !l.isAlive());
        assertThat(l.isAlive()).as(l.log()).isTrue();
        return l;
    }

    @AfterEach
    void stop() {
        if (quickstart != null) {
            quickstart.kill();
        }
    }

    @Test
    void shouldCarryADirectoryChangeToPostfixAndResumeFromItsStateAfterARestart() throws Exception {
        Path data = dir.resolve("state");
        quickstart = start(data);
        assertThat(quickstart.log()).contains("postmap -q alice@example.org " + table(), "ldapmodify -x -H",
                "demo restrict bob@example.org", "restrict add --kind sender");

        // Every restricted demo account, the alias included, and none of the others.
        CommandResult all = Postfix.postmapBatch(concat(RESTRICTED, FREE), table());
        assertThat(all.lines()).as(all.toString()).containsExactlyInAnyOrder(
                "alice@example.org\tREJECT " + LDAP_TEXT,
                "carol@example.org\tREJECT Your account sent spam; contact abuse@example.org to restore it",
                "dave@example.org\tREJECT " + LDAP_TEXT,
                "d.example@example.org\tREJECT " + LDAP_TEXT);

        // ldapmodify on the demo directory restricts bob, then lifts him again.
        long restrictMs = propagate("bob@example.org", "REJECT " + LDAP_TEXT, () -> ldapFlag("bob", "TRUE"));
        long liftMs = propagate("bob@example.org", null, () -> ldapFlag("bob", "FALSE"));
        System.out.printf("quickstart: ldapmodify -> postmap answer: restrict %d ms, lift %d ms (poll interval 1 s)%n",
                restrictMs, liftMs);

        // The launcher's own equivalents, for a machine without Postfix or ldap-utils.
        CommandResult demo = Launcher.run(Map.of(), Duration.ofMinutes(1), "demo", "restrict", "frank@example.org",
                "--ldap-port", String.valueOf(ports.get("ldap")));
        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        await("frank restricted", Duration.ofSeconds(30), () -> lookup("frank@example.org").stdout(),
                out -> out.startsWith("OK REJECT"));
        assertThat(lookup("erin@example.org").exitCode()).isEqualTo(1);

        // SIGTERM stops everything cleanly, well within 10 s.
        Duration stopped = quickstart.terminate(Duration.ofSeconds(30));
        assertThat(stopped).as(quickstart.log()).isNotNull().isLessThan(Duration.ofSeconds(10));
        System.out.printf("quickstart: SIGTERM -> exit in %d ms%n", stopped.toMillis());

        // While it is down, alice is un-flagged in the directory's kept state. The restarted quickstart must
        // answer from its store first (alice restricted: what was published), and only later, once its
        // syncer has polled, lift her.
        Path state = data.resolve("directory.ldif");
        String ldif = Files.readString(state);
        Pattern aliceFlag = Pattern.compile("(dn: uid=alice,[^\\n]*\\n(?:[^\\n]+\\n)*?)smtpdSenderRestrictions: TRUE");
        assertThat(aliceFlag.matcher(ldif).find()).as(ldif).isTrue();
        Files.writeString(state, aliceFlag.matcher(ldif).replaceFirst("$1smtpdSenderRestrictions: FALSE"));
        quickstart = Launcher.start(Map.of(), dir.resolve("quickstart-2.log"), args(data));
        String first = await("the first socketmap answer after the restart", READY, 20,
                () -> lookupQuietly("alice@example.org"), r -> r != null);
        assertThat(first).as("the first answer after a restart comes from the store, before any poll")
                .isEqualTo("OK REJECT " + LDAP_TEXT);
        await("alice lifted once the syncer polled", Duration.ofSeconds(60),
                () -> Postfix.postmap("alice@example.org", table()).exitCode(), code -> code == 1);
        // bob (lifted before the restart) stayed lifted; frank (restricted) stayed restricted.
        assertThat(Postfix.postmap("frank@example.org", table()).value()).startsWith("REJECT");
        assertThat(Postfix.postmap("bob@example.org", table()).exitCode()).isEqualTo(1);
    }

    @Test
    void shouldRefuseASecondQuickstartOnTheSameStateDirectoryNamingIt() {
        Path data = dir.resolve("state");
        quickstart = start(data);
        Map<String, Integer> first = new LinkedHashMap<>(ports);
        ports.clear();
        CommandResult second = Launcher.run(Map.of(), Duration.ofMinutes(1), args(data).toArray(String[]::new));
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(2);
        assertThat(second.stderr().strip()).as(second.toString())
                .isEqualTo("restrictd quickstart: --data: " + data.toAbsolutePath() + " is in use by another"
                        + " restrictd quickstart; stop it first, or pass another --data DIR");
        ports.putAll(first);
        assertThat(Postfix.postmap("alice@example.org", table()).value()).startsWith("REJECT");
    }

    private long propagate(String address, String expected, Runnable change) {
        long t0 = System.nanoTime();
        change.run();
        await(address + " -> " + expected, Duration.ofSeconds(30), 20,
                () -> Postfix.postmap(address, table()),
                r -> expected == null ? r.exitCode() == 1 : r.exitCode() == 0 && r.value().equals(expected));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private void ldapFlag(String uid, String value) {
        String ldif = "dn: uid=" + uid + ",ou=people,dc=example,dc=org\nchangetype: modify\n"
                + "replace: smtpdSenderRestrictions\nsmtpdSenderRestrictions: " + value + "\n";
        try {
            Process p = new ProcessBuilder("ldapmodify", "-x", "-H", "ldap://127.0.0.1:" + ports.get("ldap"), "-D",
                    "cn=admin,dc=example,dc=org", "-w", "restrictd").redirectErrorStream(true).start();
            p.getOutputStream().write(ldif.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private CommandResult lookup(String address) {
        return Launcher.run(Map.of(), Duration.ofMinutes(1), "lookup", address, "--server",
                "127.0.0.1:" + ports.get("socketmap"));
    }

    /** The socketmap reply, or null while nothing listens. */
    private String lookupQuietly(String address) {
        try {
            return io.restrictd.service.cli.SocketmapLookup.ask("127.0.0.1", ports.get("socketmap"), "sender",
                    address, Duration.ofSeconds(10));
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
