package io.restrictd.service.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import io.restrictd.testkit.Slapd;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real syncer process over TLS to a real slapd (throwaway CA, made by {@code slapd-local --tls}), configured
 * through the shipped {@code ops/config/syncer.yml} and its TLS variables, with trust stores made by the real
 * {@code keytool}: {@code ldaps://} and StartTLS publish the directory; a server certificate the trust store
 * does not vouch for, or one for another host, or a server without StartTLS stops the syncer with a message
 * that says so; settings that contradict each other fail the check. That TLS was really used is read from
 * slapd's own log, not assumed.
 */
class SyncerTlsIT {
    /** Generous: these machines are shared. Bounds waits that would otherwise hang; asserts no speed. */
    static final Duration WAIT = Duration.ofMinutes(3);
    static final String STORE_PASSWORD = "changeit";

    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();
    /** Certificate for 127.0.0.1 and localhost. */
    @RegisterExtension
    static Slapd slapd = Slapd.builder().tls().build();
    /** Certificate for ldap.example.net only, signed by a CA of its own. */
    @RegisterExtension
    static Slapd elsewhere = Slapd.builder().tls("DNS:ldap.example.net").build();
    /** No TLS at all. */
    @RegisterExtension
    static Slapd plain = new Slapd();

    @TempDir
    static Path shared;
    /** Holds slapd's CA. */
    static Path trusted;
    /** Holds elsewhere's CA only. */
    static Path otherCa;

    @TempDir
    Path dir;

    @BeforeAll
    static void trustStores() throws Exception {
        trusted = trustStore(slapd.caCertificate(), shared.resolve("trusted.p12"));
        otherCa = trustStore(elsewhere.caCertificate(), shared.resolve("other-ca.p12"));
    }

    @Test
    void shouldPublishOverLdapsWithATrustStoreHoldingTheCa() throws Exception {
        shouldPublishTheDirectoryOver(slapd.ldapsUrl(), false, "ldaps");
    }

    @Test
    void shouldPublishOverStartTlsWithATrustStoreHoldingTheCa() throws Exception {
        shouldPublishTheDirectoryOver(slapd.url(), true, "starttls");
    }

    private void shouldPublishTheDirectoryOver(String url, boolean startTls, String name) throws Exception {
        addRestricted(slapd, name + "-before");
        long logMark = Files.size(slapdLog());
        try (SyncerProcess s = syncer(name, url, startTls, trusted)) {
            Eventually.within(WAIT, s::logText, () -> assertThat(keys(name)).isEqualTo(BulkDirectory.expectedKeys(slapd)));
            assertThat(keys(name)).contains("ldap|sender|" + name + "-before@example.org", "ldap|login|" + name + "-before");

            addRestricted(slapd, name + "-live");
            Eventually.within(WAIT, s::logText, () -> assertThat(keys(name)).isEqualTo(BulkDirectory.expectedKeys(slapd)));
            assertThat(keys(name)).contains("ldap|sender|" + name + "-live@example.org");
            assertThat(s.isRunning()).isTrue();
        }
        // slapd's view: every connection that ran the syncer's search under ou=people had TLS, by the right way.
        Map<String, String> connections = connections(slapdLog(), logMark);
        Set<String> searched = new TreeSet<>();
        connections.forEach((conn, lines) -> {
            if (lines.contains("SRCH base=\"" + slapd.peopleDn() + "\"")) {
                searched.add(conn);
            }
        });
        assertThat(searched).as("the syncer's connections in slapd.log").isNotEmpty();
        for (String conn : searched) {
            String lines = connections.get(conn);
            assertThat(lines).as(conn).contains("TLS established");
            if (startTls) {
                assertThat(lines).as(conn).contains("STARTTLS");
            } else {
                assertThat(lines).as(conn).contains("(IP=127.0.0.1:" + URI.create(slapd.ldapsUrl()).getPort() + ")");
            }
        }
    }

    @Test
    void shouldStopNamingTheTrustStoreWhenItDoesNotHoldTheServersCa() throws Exception {
        for (boolean startTls : List.of(false, true)) {
            String name = startTls ? "untrusted-starttls" : "untrusted-ldaps";
            try (SyncerProcess s = syncer(name, startTls ? slapd.url() : slapd.ldapsUrl(), startTls, otherCa)) {
                assertThat(s.awaitExit(WAIT)).as(s.logText()).isEqualTo(2);
                assertThat(s.logText()).contains("TLS: the server's certificate is not trusted",
                        "ldap.trustStore (" + otherCa + ") must hold the certificate of the CA");
            }
            assertThat(keys(name)).as("nothing published from an untrusted server").isEmpty();
        }
    }

    @Test
    void shouldRefuseACertificateThatDoesNotNameTheHost() throws Exception {
        for (boolean startTls : List.of(false, true)) {
            String name = startTls ? "wronghost-starttls" : "wronghost-ldaps";
            // The trust store vouches for elsewhere's CA: only the name is wrong.
            try (SyncerProcess s = syncer(name, startTls ? elsewhere.url() : elsewhere.ldapsUrl(), startTls,
                    otherCa)) {
                assertThat(s.awaitExit(WAIT)).as(s.logText()).isEqualTo(2);
                assertThat(s.logText()).contains("TLS: the server's certificate does not name the host '127.0.0.1'",
                        "ldap.urls");
            }
            assertThat(keys(name)).isEmpty();
        }
    }

    @Test
    void shouldStopWhenTheServerRefusesStartTls() throws Exception {
        try (SyncerProcess s = syncer("nostarttls", plain.url(), true, trusted)) {
            assertThat(s.awaitExit(WAIT)).as(s.logText()).isEqualTo(2);
            assertThat(s.logText()).contains("the server refused StartTLS", "ldap.startTls");
        }
    }

    @Test
    void shouldKeepRetryingAndSuggestTheTlsPortWhenLdapsMeetsAPlainPort() throws Exception {
        // Indistinguishable from a TLS server that drops connections while it restarts: retried, not fatal,
        // but the log says what to check.
        String url = "ldaps://127.0.0.1:" + URI.create(plain.url()).getPort();
        try (SyncerProcess s = syncer("ldaps-to-plain", url, false, trusted)) {
            Eventually.within(WAIT, s::logText, () -> assertThat(s.logText())
                    .contains("SSLHandshakeException", "is this the server's TLS port?"));
            assertThat(s.isRunning()).as(s.logText()).isTrue();
        }
    }

    @Test
    void shouldRejectTlsSettingsThatCannotWorkWithoutConnecting() throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "secret\n");
        Map<String, String> base = Map.of("RESTRICTD_LDAP_PASSWORD_FILE", pw.toString(), "RESTRICTD_KAFKA", "127.0.0.1:1",
                "RESTRICTD_LDAP_TRUSTSTORE_PASSWORD", STORE_PASSWORD);

        SyncerProcess.Check c = check(base, "ldaps://127.0.0.1:1", "true", trusted.toString());
        assertThat(c.exit()).as(c.output()).isEqualTo(2);
        assertThat(c.output()).contains("ldap.startTls", "ldaps://127.0.0.1:1");

        c = check(base, "ldap://127.0.0.1:1", "false", trusted.toString());
        assertThat(c.exit()).as(c.output()).isEqualTo(2);
        assertThat(c.output()).contains("ldap.trustStore is set but no connection uses TLS");

        c = check(base, "ldaps://127.0.0.1:1", "false", dir.resolve("missing.p12").toString());
        assertThat(c.exit()).as(c.output()).isEqualTo(2);
        assertThat(c.output()).contains("ldap.trustStore: " + dir.resolve("missing.p12") + " does not exist");

        Map<String, String> wrongPassword = new HashMap<>(base);
        wrongPassword.put("RESTRICTD_LDAP_TRUSTSTORE_PASSWORD", "not-" + STORE_PASSWORD);
        c = check(wrongPassword, "ldap://127.0.0.1:1", "true", trusted.toString());
        assertThat(c.exit()).as(c.output()).isEqualTo(2);
        assertThat(c.output()).contains("ldap.trustStore: " + trusted, "ldap.trustStorePassword");

        c = check(base, "ldap://127.0.0.1:1", "true", trusted.toString());
        assertThat(c.exit()).as(c.output()).isZero();
        assertThat(c.output()).contains("configuration OK");
    }

    private static SyncerProcess.Check check(Map<String, String> base, String url, String startTls, String trustStore)
            throws Exception {
        Map<String, String> env = new HashMap<>(base);
        env.put("RESTRICTD_LDAP_URL", url);
        env.put("RESTRICTD_LDAP_STARTTLS", startTls);
        env.put("RESTRICTD_LDAP_TRUSTSTORE", trustStore);
        return SyncerProcess.check(SyncerProcess.config(), env);
    }

    static Set<String> keys(String prefix) {
        return CommittedView.read(kafka.bootstrapServers(), prefix + ".restrictions").values().keySet();
    }

    static void addRestricted(Slapd server, String uid) {
        server.ldapadd("dn: uid=" + uid + "," + server.peopleDn() + "\nobjectClass: inetOrgPerson\n"
                + "objectClass: restrictdAccount\nuid: " + uid + "\ncn: " + uid + "\nsn: " + uid + "\nmail: " + uid
                + "@example.org\nsmtpdSenderRestrictions: TRUE\n");
    }

    static Path slapdLog() {
        return slapd.dir().resolve("slapd.log");
    }

    private static final Pattern CONN = Pattern.compile("\\bconn=(\\d+)\\b");

    /** slapd's stats log from byte {@code from} on, as each connection's lines joined. */
    static Map<String, String> connections(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        String text = new String(all, (int) Math.min(from, all.length), all.length - (int) Math.min(from, all.length),
                StandardCharsets.UTF_8);
        Map<String, String> byConn = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = CONN.matcher(line);
            if (m.find()) {
                byConn.merge(m.group(1), line + "\n", String::concat);
            }
        }
        return byConn;
    }

    /** Makes a PKCS12 trust store holding {@code caPem}, with the real keytool, as an operator would. */
    static Path trustStore(Path caPem, Path store) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-importcert", "-noprompt", "-alias", "ldap-ca", "-file",
                caPem.toString(), "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("keytool: " + out).isZero();
        return store;
    }

    /**
     * A syncer started like {@link SyncerProcess} ({@code ops/bin/restrictd syncer ops/config/syncer.yml}, topics
     * PREFIX.*), with the TLS variables the shipped file declares set as given.
     */
    /** The shipped syncer.yml over TLS: topics, syncer id and log named {@code name}. */
    private SyncerProcess syncer(String name, String url, boolean startTls, Path trustStore) {
        return new SyncerProcess(name, dir, name, kafka.bootstrapServers(), url, slapd.rootPassword(), name)
                .environment("RESTRICTD_LDAP_STARTTLS", Boolean.toString(startTls))
                .environment("RESTRICTD_LDAP_TRUSTSTORE", trustStore.toString())
                .environment("RESTRICTD_LDAP_TRUSTSTORE_PASSWORD", STORE_PASSWORD)
                .start();
    }
}
