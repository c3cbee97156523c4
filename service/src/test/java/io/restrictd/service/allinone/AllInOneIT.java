package io.restrictd.service.allinone;

import static io.restrictd.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.FreePort;
import io.restrictd.testkit.LdapFixture;
import io.restrictd.testkit.PostfixSmtpd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restrictd all-in-one ops/config/all-in-one.yml} (the shipped file, filled in through its environment
 * variables) against a real slapd in syncrepl mode and a real Postfix smtpd asked by swaks.
 */
class AllInOneIT {
    private static final String LDAP_TEXT = "This account is not allowed to send emails, plz talk to abuse@example.org";
    private static final int SOCKETMAP = FreePort.find();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static LdapFixture slapd = Fixtures.openLdap();
    @RegisterExtension
    static PostfixSmtpd smtpd = new PostfixSmtpd("check_sender_access socketmap:inet:127.0.0.1:" + SOCKETMAP
            + ":sender");

    @TempDir
    Path dir;
    private Launcher aio;
    private final int admin = FreePort.find();

    private Map<String, String> env(String password) {
        Map<String, String> env = new HashMap<>();
        env.put("RESTRICTD_STATE", dir.resolve("state").toString());
        env.put("RESTRICTD_KAFKA_PORT", String.valueOf(FreePort.find()));
        env.put("RESTRICTD_KAFKA_CONTROLLER_PORT", String.valueOf(FreePort.find()));
        env.put("RESTRICTD_SOCKETMAP_PORT", String.valueOf(SOCKETMAP));
        env.put("RESTRICTD_POLICY_PORT", String.valueOf(FreePort.find()));
        env.put("RESTRICTD_HTTP_PORT", String.valueOf(FreePort.find()));
        env.put("RESTRICTD_ADMIN_PORT", String.valueOf(admin));
        env.put("RESTRICTD_LDAP_URL", slapd.url());
        env.put("RESTRICTD_LDAP_BIND_DN", slapd.rootDn());
        env.put("RESTRICTD_LDAP_PASSWORD", password);
        env.put("RESTRICTD_LDAP_BASE", slapd.peopleDn());
        return env;
    }

    @AfterEach
    void stop() {
        if (aio != null) {
            aio.kill();
        }
    }

    private JsonNode health() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin
                    + "/healthcheck")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void shouldRejectInSmtpdOnceLdapFlagsTheAccount() {
        slapd.ldapadd(person("alice"));
        aio = Launcher.start(env(slapd.rootPassword()), dir.resolve("aio.log"),
                List.of("all-in-one", "ops/config/all-in-one.yml"));
        await("the syncer following slapd", Duration.ofMinutes(3), 500, this::health,
                h -> h != null && h.path("syncer").path("phase").asText().equals("persist"));
        String addr = "alice@example.org";
        assertThat(swaks(addr)).containsPattern("<-  250 2\\.1\\.0 ");

        slapd.ldapmodify("dn: uid=alice," + slapd.peopleDn() + "\nchangetype: modify\nadd: objectClass\n"
                + "objectClass: restrictdAccount\n-\nreplace: smtpdSenderRestrictions\nsmtpdSenderRestrictions: TRUE\n-\n");
        String rejected = await("smtpd rejecting " + addr, Duration.ofSeconds(60), 200, () -> swaks(addr),
                out -> out.contains("Sender address rejected"));
        assertThat(rejected).contains("554 5.7.1 <" + addr + ">: Sender address rejected: " + LDAP_TEXT);
        JsonNode h = health();
        assertThat(h.path("broker").path("healthy").asBoolean()).as(h.toString()).isTrue();
        assertThat(h.path("syncer").path("healthy").asBoolean()).as(h.toString()).isTrue();
    }

    @Test
    void shouldKeepTheNodeAnsweringWhenTheSyncerStopsOnBadCredentials() {
        Map<String, String> env = env("not-the-password");
        aio = Launcher.start(env, dir.resolve("aio.log"),
                List.of("all-in-one", "ops/config/all-in-one.yml"));
        JsonNode h = await("the syncer stopped", Duration.ofMinutes(3), 500, this::health,
                x -> x != null && !x.path("syncer").path("healthy").asBoolean(true)
                        && x.path("syncer").path("message").asText().startsWith("stopped: "));
        assertThat(h.path("syncer").path("message").asText()).as(h.toString()).contains("nvalid credentials");
        assertThat(aio.isAlive()).as(aio.log()).isTrue();
        // The node keeps answering, and still takes the abuse desk's restrictions.
        CommandResult added = Launcher.run(env, Duration.ofMinutes(1), "restrict", "add", "--kind", "sender",
                "--subject", "spammer@example.net", "--action", "REJECT spam", "--reason", "it",
                "--config", "ops/config/all-in-one.yml");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        String rejected = await("smtpd rejecting the abuse desk's restriction", Duration.ofSeconds(60), 200,
                () -> swaks("spammer@example.net"), out -> out.contains("Sender address rejected"));
        assertThat(rejected).contains("554 5.7.1 <spammer@example.net>: Sender address rejected: spam");
        assertThat(aio.log()).contains("syncer stopped: ").doesNotContain("\tat io.restrictd");
    }

    private static String swaks(String from) {
        CommandResult r = smtpd.swaks(from, "postmaster@localhost", List.of("--quit-after", "RCPT"));
        return r.stdout();
    }

    private static String person(String uid) {
        return "dn: uid=" + uid + "," + slapd.peopleDn() + "\nobjectClass: inetOrgPerson\nuid: " + uid + "\ncn: "
                + uid + "\nsn: " + uid + "\nmail: " + uid + "@example.org\n\n";
    }
}
