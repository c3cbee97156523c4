package io.restrictd.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.FreePort;
import io.restrictd.testkit.KafkaFixture;
import io.restrictd.testkit.PostfixSmtpd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One lookup node on a real broker, asked by Postfix's own clients (postmap, smtpd) and by raw
 * sockets: what it answers for published, lifted and expiring restrictions, and how it treats bad
 * protocol input.
 */
class NodeLookupIT {
    private static final String TOPIC = "restrictd.restrictions";
    private static final String REJECT_TEXT = "This account is not allowed to send emails, plz talk to abuse@example.org";
    private static final int SOCKETMAP_PORT = FreePort.find();

    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();

    @RegisterExtension
    static Nodes nodes = new Nodes(kafka::bootstrapServers);

    @RegisterExtension
    static PostfixSmtpd smtpd = new PostfixSmtpd(
            "check_sender_access socketmap:inet:127.0.0.1:" + SOCKETMAP_PORT + ":sender");

    private static NodeProcess node;
    private static Events events;

    @BeforeAll
    static void startNode() {
        kafka.createTopic(TOPIC, 3, true);
        kafka.createTopic(TOPIC + ".audit", 1, false);
        events = new Events(kafka.bootstrapServers(), TOPIC);
        node = nodes.node(nodes.builder("lookup-node").socketmapPort(SOCKETMAP_PORT).requestTimeout("2s")).start();
        Eventually.await("ready", Duration.ofSeconds(60), node::status, s -> Boolean.TRUE.equals(s.get("ready")));
    }

    @AfterAll
    static void closeProducer() {
        if (events != null) {
            events.close();
        }
    }

    @Test
    void shouldAnswerPublishedRestrictionsThroughPostfixsOwnClient() throws IOException {
        CommandResult added = node.restrict("add", "--kind", "sender", "--subject", "Blocked@Example.ORG",
                "--action", "REJECT " + REJECT_TEXT, "--reason", "integration test", "--actor", "it");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        events.put(Events.restriction("ldap", Kind.SENDER, "plus@example.org", "REJECT Plus sender blocked"));
        events.put(Events.restriction("abuse", Kind.SENDER, "spam.example", "550 5.7.1 Domain blocked"));
        events.put(Events.restriction("abuse", Kind.LOGIN, "mallory", "DEFER Login on hold"));
        events.put(Events.restriction("abuse", Kind.SENDER, "<>", "REJECT No bounces here"));
        events.put(Events.restriction("abuse", Kind.SENDER, "Käthe@Bücher.example", "REJECT IDN sender"));

        awaitFound("blocked@example.org", "REJECT " + REJECT_TEXT);
        awaitFound("anyone@spam.example", "550 5.7.1 Domain blocked");
        assertThat(Eventually.await("login found", Duration.ofSeconds(10), () -> node.postmapLogin("mallory"),
                CommandResult::succeeded).value()).isEqualTo("DEFER Login on hold");

        assertFound("BLOCKED@example.ORG", "REJECT " + REJECT_TEXT); // case folded as Postfix folds keys
        assertFound("plus+newsletter@example.org", "REJECT Plus sender blocked"); // user+ext@domain -> user@domain
        assertFound("plus@example.org", "REJECT Plus sender blocked");
        assertFound("someone@mx.spam.example", "550 5.7.1 Domain blocked"); // parent domain
        assertNotFound("other@example.org");
        assertNotFound("blocked@example.org.evil");
        assertNotFound("plus@example.net");
        assertNotFound("mallory"); // a login restriction is not a sender restriction
        CommandResult login = node.postmapLogin("alice");
        assertThat(login.exitCode()).as(login.toString()).isEqualTo(1);
        assertThat(login.stdout()).isEmpty();

        assertFound("<>", "REJECT No bounces here"); // smtpd_null_access_lookup_key
        assertFound("käthe@xn--bcher-kva.example", "REJECT IDN sender"); // A-label domain
        assertFound("KÄTHE@bücher.example", "REJECT IDN sender"); // U-label, SMTPUTF8
        assertNotFound("kathe@xn--bcher-kva.example");

        try (Wire policy = node.policy()) {
            assertThat(policy.policy(Map.of("protocol_state", "RCPT", "sender", "")))
                    .as("an empty sender attribute at RCPT is the null sender").isEqualTo("action=REJECT No bounces here");

            assertThat(policy.policy(Map.of("protocol_state", "RCPT", "sender", "blocked@example.org")))
                    .isEqualTo("action=REJECT " + REJECT_TEXT);
            assertThat(policy.policy(Map.of("protocol_state", "RCPT", "sender", "ok@example.org",
                    "sasl_username", "mallory"))).isEqualTo("action=DEFER Login on hold");
            assertThat(policy.policy(Map.of("protocol_state", "RCPT", "sender", "ok@example.org",
                    "sasl_username", "alice"))).isEqualTo("action=DUNNO");
        }
    }

    @Test
    void shouldRejectRestrictedSenderInRealSmtpd() {
        events.put(Events.restriction("ldap", Kind.SENDER, "smtp-bad@example.org", "REJECT " + REJECT_TEXT));
        awaitFound("smtp-bad@example.org", "REJECT " + REJECT_TEXT);

        CommandResult rejected = smtpd.swaks("smtp-bad@example.org", "postmaster@localhost",
                List.of("--quit-after", "RCPT"));
        assertThat(rejected.stdout())
                .contains("554 5.7.1 <smtp-bad@example.org>: Sender address rejected: " + REJECT_TEXT);

        CommandResult accepted = smtpd.swaks("smtp-good@example.org", "postmaster@localhost",
                List.of("--quit-after", "RCPT"));
        assertThat(accepted.stdout()).contains("RCPT TO:<postmaster@localhost>").containsPattern("<-  250 2\\.1\\.5 ")
                .doesNotContain("Sender address rejected");
        assertThat(smtpd.log()).contains("reject: RCPT from", "<smtp-bad@example.org>");
    }

    @Test
    void shouldAnswerNotFoundWithinASecondOfALift() {
        List<Long> millis = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            Restriction r = Events.restriction("abuse", Kind.SENDER, "lift-" + round + "@example.org", "REJECT lift me");
            events.put(r);
            awaitFound(r.key().subject(), "REJECT lift me");

            long t0 = System.nanoTime();
            events.lift(r.key());
            CommandResult last = Eventually.await("NOTFOUND after the lift", Duration.ofSeconds(1), 0,
                    () -> node.postmap(r.key().subject()), res -> res.exitCode() == 1 && res.stderr().isEmpty());
            millis.add((System.nanoTime() - t0) / 1_000_000);
            assertThat(last.stdout()).isEmpty();
        }
        System.out.println("lift -> postmap NOTFOUND (ms, from send to the first NOTFOUND, each round): " + millis);
        assertThat(Collections.max(millis)).isLessThanOrEqualTo(1000);
    }

    @Test
    void shouldStopMatchingARestrictionWhenItExpires() {
        Instant expiresAt = Instant.now().plusSeconds(4);
        Restriction r = Events.restriction("abuse", Kind.SENDER, "expiring@example.org", "REJECT Temporary block",
                expiresAt);
        events.put(r);
        awaitFound("expiring@example.org", "REJECT Temporary block");
        assertThat(Instant.now()).isBefore(expiresAt);

        Eventually.await("NOTFOUND after expiry", Duration.ofSeconds(15), 50,
                () -> node.postmap("expiring@example.org"), res -> res.exitCode() == 1 && res.stderr().isEmpty());
        Instant notFoundAt = Instant.now();
        assertThat(notFoundAt).as("still matched until it expired").isAfterOrEqualTo(expiresAt);
        // ingest.sweepInterval is 1 s in the test configuration: the store drops it soon after.
        Map<String, Object> explained = Eventually.await("swept from the store", Duration.ofSeconds(15),
                () -> node.explain("sender", "expiring@example.org"),
                e -> ((List<?>) e.get("restrictions")).isEmpty());
        assertThat(explained.get("restricted")).isEqualTo(false);
    }

    @Test
    void shouldAnswerBadSocketmapAndPolicyInputWithoutHurtingOthers() throws Exception {
        events.put(Events.restriction("abuse", Kind.SENDER, "loop-bad@example.org", "REJECT Loop block"));
        awaitFound("loop-bad@example.org", "REJECT Loop block");

        AtomicBoolean stop = new AtomicBoolean();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicLong goodLookups = new AtomicLong();
        Thread socketmapClient = new Thread(() -> {
            try (Wire w = node.socketmap()) {
                while (!stop.get()) {
                    expect(errors, "socketmap restricted", w.lookup("sender", "loop-bad@example.org"), "OK REJECT Loop block");
                    expect(errors, "socketmap not restricted", w.lookup("sender", "loop-good@example.org"), "NOTFOUND ");
                    goodLookups.addAndGet(2);
                }
            } catch (IOException | RuntimeException e) {
                errors.add("socketmap client: " + e);
            }
        }, "good-socketmap-client");
        Thread policyClient = new Thread(() -> {
            try (Wire w = node.policy()) {
                while (!stop.get()) {
                    expect(errors, "policy restricted", w.policy(Map.of("protocol_state", "RCPT",
                            "sender", "loop-bad@example.org")), "action=REJECT Loop block");
                    expect(errors, "policy not restricted", w.policy(Map.of("protocol_state", "RCPT",
                            "sender", "loop-good@example.org")), "action=DUNNO");
                    goodLookups.addAndGet(2);
                }
            } catch (IOException | RuntimeException e) {
                errors.add("policy client: " + e);
            }
        }, "good-policy-client");
        socketmapClient.start();
        policyClient.start();
        try {
            sendBadInput();
        } finally {
            stop.set(true);
            socketmapClient.join(30_000);
            policyClient.join(30_000);
        }
        assertThat(errors).as("what the well-behaved clients saw").isEmpty();
        assertThat(goodLookups.get()).isPositive();
        System.out.println("well-behaved clients: " + goodLookups.get() + " correct answers during the bad input");
    }

    private static void sendBadInput() throws IOException {
        try (Wire w = node.socketmap()) {
            w.send("hello world,");
            assertThat(w.readNetstring()).isEqualTo("PERM netstring length is not a decimal number (byte 0x68)");
            w.readTimeout(5000);
            assertThat(w.closedByServer()).as("closed after a framing error").isTrue();
        }
        try (Wire w = node.socketmap()) {
            w.send("99999999999999999999:sender x");
            assertThat(w.readNetstring()).isEqualTo("PERM netstring longer than 4096 bytes");
            w.readTimeout(5000);
            assertThat(w.closedByServer()).isTrue();
        }
        try (Wire w = node.socketmap()) {
            byte[] bad = "sender \u00ff@example.org".getBytes(StandardCharsets.ISO_8859_1); // 0xff: never UTF-8
            w.sendNetstring(bad);
            assertThat(w.readNetstring()).isEqualTo("PERM request is not valid UTF-8");
            w.sendNetstring("nosuchmap someone@example.org".getBytes(StandardCharsets.UTF_8));
            assertThat(w.readNetstring()).isEqualTo("PERM unknown map 'nosuchmap'");
            w.sendNetstring(new byte[0]);
            assertThat(w.readNetstring()).startsWith("PERM malformed request");
            // the framing is intact: the same connection still answers
            assertThat(w.lookup("sender", "loop-bad@example.org")).isEqualTo("OK REJECT Loop block");
        }
        try (Wire w = node.socketmap()) {
            w.send("40:sender half-a-request");
            w.readTimeout(10_000);
            long t0 = System.nanoTime();
            assertThat(w.closedByServer()).as("a stalled request is closed (requestTimeout 2s)").isTrue();
            System.out.println("half socketmap request closed after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
        try (Wire w = node.policy()) {
            w.send("request=smtpd_access_policy\nprotocol_state=RCPT\nsender=loop-bad@example.org\n"
                    + "this line has no equals sign\n\n");
            assertThat(w.readPolicyReply())
                    .isEqualTo("action=DEFER_IF_PERMIT restrictd: malformed policy request: line without '='");
            assertThat(w.policy(Map.of("protocol_state", "RCPT", "sender", "loop-bad@example.org")))
                    .as("the connection carries on after a recoverable error").isEqualTo("action=REJECT Loop block");
        }
        try (Wire w = node.policy()) {
            StringBuilder big = new StringBuilder("request=smtpd_access_policy\n");
            for (int i = 0; big.length() < 20_000; i++) {
                big.append("x_attribute_").append(i).append('=').append("v".repeat(200)).append('\n');
            }
            w.send(big.append('\n').toString());
            assertThat(w.readPolicyReply()).isEqualTo(
                    "action=DEFER_IF_PERMIT restrictd: malformed policy request: request longer than 16384 bytes");
            w.readTimeout(5000);
            assertThat(w.closedByServer()).isTrue();
        }
        try (Wire w = node.policy()) {
            w.send("request=smtpd_access_policy\nsender=half@example.org\n");
            w.readTimeout(10_000);
            assertThat(w.closedByServer()).as("a stalled policy request is closed").isTrue();
        }
    }

    private static void expect(List<String> errors, String what, String actual, String expected) {
        if (!expected.equals(actual)) {
            errors.add(what + ": expected '" + expected + "' but got '" + actual + "'");
        }
    }

    private static void awaitFound(String key, String value) {
        CommandResult r = Eventually.await(key + " found", Duration.ofSeconds(15), () -> node.postmap(key),
                CommandResult::succeeded);
        assertThat(r.value()).isEqualTo(value);
    }

    private static void assertFound(String key, String value) {
        CommandResult r = node.postmap(key);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.value()).isEqualTo(value);
    }

    private static void assertNotFound(String key) {
        CommandResult r = node.postmap(key);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).as("a lookup error would also exit 1").isEmpty();
    }
}
