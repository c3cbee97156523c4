package io.restrictd.service.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.syncer.ldap.DemoDirectory;
import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.FreePort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to the quickstart and all-in-one, through the launcher: each gets one line naming the setting,
 * file or port at fault and a non-zero exit, never a stack trace, and leaves no process listening.
 */
class QuickstartBadInputIT {
    private static final Duration LIMIT = Duration.ofMinutes(2);

    @TempDir
    Path dir;
    private final int socketmapPort = FreePort.find();

    private List<String> quickstart(Path data, String... more) {
        List<String> a = new ArrayList<>(List.of("quickstart", "--data", data.toString(),
                "--socketmap-port", String.valueOf(socketmapPort)));
        for (String p : List.of("policy", "http", "admin", "kafka", "kafka-controller", "ldap")) {
            a.addAll(List.of("--" + p + "-port", String.valueOf(FreePort.find())));
        }
        a.addAll(List.of(more));
        return a;
    }

    private static CommandResult run(List<String> args) {
        return Launcher.run(Map.of(), LIMIT, args.toArray(String[]::new));
    }

    private void assertOneLine(CommandResult r, String prefix, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isNotZero().isNotEqualTo(-1);
        String err = r.stderr().strip();
        assertThat(err.lines().filter(l -> !l.startsWith("INFO") && !l.startsWith("WARN")).toList())
                .as(r.toString()).hasSize(1);
        assertThat(err).as(r.toString()).contains(prefix).doesNotContain("Exception", "\tat ", "\n! ");
        for (String f : fragments) {
            assertThat(err).as(r.toString()).contains(f);
        }
        assertThat(listening(socketmapPort)).as("nothing left listening on the socketmap port").isFalse();
    }

    @Test
    void shouldNameATakenPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(socketmapPort, 1, InetAddress.getLoopbackAddress())) {
            CommandResult r = run(quickstart(dir.resolve("state")));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.stderr().strip()).isEqualTo("restrictd quickstart: port " + socketmapPort
                    + " (socketmap) on 127.0.0.1 is taken: stop what listens there, or pass --socketmap-port PORT");
        }
    }

    @Test
    void shouldNameADataDirectoryThatCannotBeWritten() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertOneLine(run(quickstart(file.resolve("state"))), "restrictd quickstart: --data: " + file.resolve("state"),
                "is not a writable directory");
    }

    @Test
    void shouldNameTheLineOfAMalformedDemoLdif() throws IOException {
        Path ldif = Files.writeString(dir.resolve("bad.ldif"),
                "dn: dc=example,dc=org\nobjectClass: dcObject\ndc: example\n\nthis is not ldif\n");
        assertOneLine(run(quickstart(dir.resolve("state"), "--demo-ldif", ldif.toString())),
                "restrictd quickstart: " + ldif + " line 5:");
    }

    @Test
    void shouldNameALdapUrlThatDoesNotAnswer() {
        int dead = FreePort.find();
        assertOneLine(run(quickstart(dir.resolve("state"), "--ldap", "ldap://127.0.0.1:" + dead, "--base",
                "dc=example,dc=org")), "restrictd quickstart: ldap://127.0.0.1:" + dead + ": no answer");
    }

    @Test
    void shouldNameARefusedBind() throws IOException {
        int port = FreePort.find();
        try (DemoDirectory ldap = DemoDirectory.start("127.0.0.1", port, null, null)) {
            Path password = Files.writeString(dir.resolve("pw"), "wrong\n");
            assertOneLine(run(quickstart(dir.resolve("state"), "--ldap", ldap.url(), "--base", DemoDirectory.BASE_DN,
                    "--bind-dn", DemoDirectory.BIND_DN, "--password-file", password.toString())),
                    "restrictd quickstart: " + ldap.url() + ": the bind was refused");
        }
    }

    @Test
    void shouldNameTheSettingOfABrokenAllInOneConfiguration() throws IOException {
        Path config = Files.writeString(dir.resolve("aio.yml"), "broker:\n  dataDir: " + dir.resolve("k")
                + "\n  listen: 192.0.2.1:9092\nkafka:\n  bootstrapServers: 192.0.2.1:9092\nldap:\n  baseDn: dc=x\n"
                + "  bindPassword: x\n");
        CommandResult check = Launcher.run(Map.of(), LIMIT, "check", config.toString());
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(2);
        assertThat(check.stderr()).contains("broker.listen: 192.0.2.1 is not a loopback address");
        assertOneLine(Launcher.run(Map.of(), LIMIT, "all-in-one", config.toString()), "restrictd all-in-one:",
                "broker.listen: 192.0.2.1 is not a loopback address");
        Path typo = Files.writeString(dir.resolve("typo.yml"), "broker:\n  dataDir: /tmp/x\n  lisen: 1\n");
        assertOneLine(Launcher.run(Map.of(), LIMIT, "all-in-one", typo.toString()), "restrictd all-in-one:",
                "lisen");
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
