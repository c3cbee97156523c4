package io.restrictd.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.service.cli.ExitCodes;
import io.restrictd.service.cli.TopicsCommand;
import io.restrictd.service.syncer.SyncerProcess;
import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaBroker;
import io.restrictd.testkit.Slapd;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every role against a real broker whose only client listener is SASL_SSL (SCRAM-SHA-512, TLS from a throwaway
 * CA) with ACLs enforced and nothing allowed that no ACL allows ({@code kafka-local --sasl-ssl}), each role
 * configured through {@code kafka.properties} and given exactly the ACLs docs/kafka-security.md lists: a lookup
 * node with read-only ACLs ingests, answers Postfix and finds its topic healthy; a publish with its credentials is
 * refused with one line naming the principal, the operation and the resource (exit 4); the CLI publishes with its
 * own (a transactional-id prefix); the syncer publishes a real directory with its own; a wrong password and an
 * untrusted CA each fail with a line that says so.
 */
class KafkaSecurityIT {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String TOPIC = "restrictd.restrictions";
    /** NodeProcess's configuration names the audit topic after the restrictions topic. */
    private static final String AUDIT = TOPIC + ".audit";
    /** The syncer's topics: SyncerProcess names them PREFIX.restrictions, .audit, .state, .leader. */
    private static final String SYNCER_PREFIX = "sec";
    private static final String SYNCER_ID = "mx";
    private static final Map<String, String> PASSWORDS = Map.of("node", "node-pw-1", "cli", "cli-pw-2",
            "syncer", "syncer-pw-3");

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.saslSsl();
    @RegisterExtension
    static final Slapd SLAPD = new Slapd();
    @RegisterExtension
    static final Nodes NODES = new Nodes(KAFKA::bootstrapServers);

    @TempDir
    static Path dir;

    private static Admin admin;

    @BeforeAll
    static void usersTopicsAndAcls() throws Exception {
        Map<String, Object> config = new HashMap<>(KAFKA.adminProperties());
        config.put("bootstrap.servers", KAFKA.bootstrapServers());
        admin = Admin.create(config);
        List<UserScramCredentialUpsertion> users = new ArrayList<>();
        PASSWORDS.forEach((user, pw) -> users.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), pw)));
        admin.alterUserScramCredentials(new ArrayList<>(users)).all().get();

        // As an operator would: restrictd topics create, with the admin's credentials; no role may create topics.
        Path asAdmin = Files.writeString(dir.resolve("admin.yml"), "kafka:\n  bootstrapServers: "
                + KAFKA.bootstrapServers() + "\n  topic: " + TOPIC + "\n  auditTopic: " + AUDIT + "\n"
                + NodeProcess.kafkaProperties(KAFKA.adminProperties()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int created = TopicsCommand.execute("create", asAdmin.toString(), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(created).as(out.toString(StandardCharsets.UTF_8)).isZero();
        KAFKA.createTopic(SYNCER_PREFIX + ".restrictions", 3, true);
        KAFKA.createTopic(SYNCER_PREFIX + ".audit", 3, false);
        KAFKA.createTopic(SYNCER_PREFIX + ".state", 1, true);
        KAFKA.createTopic(SYNCER_PREFIX + ".leader", 1, true);

        List<AclBinding> acls = new ArrayList<>();
        // Lookup node: assign() over every partition (no group), and the topic check's Describe/DescribeConfigs.
        for (String topic : List.of(TOPIC, SYNCER_PREFIX + ".restrictions")) {
            acls.add(allow("node", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
            acls.add(allow("node", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS));
        }
        // CLI: writes both topics in transactions whose ids start with <clientId>-cli-; checks both first (the
        // configuration of the compacted one only).
        acls.addAll(cliTopics("cli"));
        acls.add(allow("cli", ResourceType.TOPIC, TOPIC, PatternType.LITERAL, AclOperation.READ)); // list, show, lift
        acls.add(allow("cli", ResourceType.TRANSACTIONAL_ID, "restrictd-cli-", PatternType.PREFIXED,
                AclOperation.WRITE));
        // Syncer: writes restrictions, audit and state; reads state (its position) and leader (the election's
        // group subscribes to it); its transactional id and its group are restrictd-syncer-<id>.
        String p = SYNCER_PREFIX + ".";
        for (String topic : List.of(p + "restrictions", p + "audit", p + "state")) {
            acls.add(allow("syncer", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
        }
        for (String topic : List.of(p + "state", p + "leader")) {
            acls.add(allow("syncer", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
        }
        for (String topic : List.of(p + "restrictions", p + "state", p + "leader")) {
            acls.add(allow("syncer", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS));
        }
        acls.add(allow("syncer", ResourceType.TRANSACTIONAL_ID, "restrictd-syncer-" + SYNCER_ID, PatternType.LITERAL,
                AclOperation.WRITE));
        acls.add(allow("syncer", ResourceType.GROUP, "restrictd-syncer-" + SYNCER_ID, PatternType.LITERAL,
                AclOperation.READ));
        admin.createAcls(acls).all().get();
        // Users and ACLs reach the broker through its metadata log: wait until it serves them.
        Eventually.await("the broker serves the ACLs", WAIT, () -> count(admin), n -> n == acls.size());
        Eventually.await("the broker knows the users", WAIT, () -> scramUsers(admin),
                u -> u.containsAll(PASSWORDS.keySet()));
    }

    @AfterAll
    static void close() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void shouldIngestAndAnswerWithReadOnlyAclsWhileTheCliPublishesWithItsOwn() throws Exception {
        CommandResult add = cli("cli", "add", "--kind", "sender", "--subject", "acl@example.org",
                "--action", "REJECT Read-only node");
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        CommandResult show = cli("cli", "show", "--kind", "sender", "--subject", "acl@example.org");
        assertThat(show.exitCode()).as(show.stderr()).isZero();
        assertThat(show.stdout()).contains("REJECT Read-only node");

        NodeProcess node = NODES.node(NODES.builder("node").kafkaProperties(role("node"))).start();
        assertThat(Eventually.await("the restriction reaches the read-only node", WAIT,
                () -> node.postmap("acl@example.org"), CommandResult::succeeded).value()).isEqualTo("REJECT Read-only node");
        NodeProcess.Json health = Eventually.await("the topic check reads the topic's configuration", WAIT,
                node::healthcheck, h -> String.valueOf(h.body().get("topics")).contains("healthy=true"));
        assertThat(String.valueOf(health.body().get("kafka"))).contains("healthy=true");
        assertThat(node.logText()).doesNotContain("AuthorizationException", "not authorized");
    }

    @Test
    void shouldRefuseAPublishWithTheNodesReadOnlyCredentialsInOneLine() throws Exception {
        CommandResult add = cli("node", "add", "--kind", "sender", "--subject", "refused@example.org",
                "--action", "REJECT never");
        assertThat(add.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(add.stderr().strip()).doesNotContain("\n", "\tat ", "Exception:");
        assertThat(add.stderr()).startsWith("restrict add: Kafka at " + KAFKA.bootstrapServers() + " refused User:node:"
                + " not authorized to").contains("topic " + AUDIT, "docs/kafka-security.md");

        Path config = Files.writeString(dir.resolve("node-topics.yml"), "kafka:\n  bootstrapServers: "
                + KAFKA.bootstrapServers() + "\n  topic: " + TOPIC + "\n  auditTopic: " + AUDIT + "\n"
                + NodeProcess.kafkaProperties(role("node")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int create = TopicsCommand.execute("create", config.toString(), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(create).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.REFUSED);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).doesNotContain("\n").startsWith("restrictd topics"
                + " create: Kafka at " + KAFKA.bootstrapServers() + " refused User:node: not authorized to Create,"
                + " Describe or DescribeConfigs topic " + AUDIT);
    }

    @Test
    void shouldRefuseACliWithoutItsTransactionalIdAclNamingTheTransactionalId() throws Exception {
        String user = "cli-notxn";
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "notxn-pw"))).all().get();
        List<AclBinding> acls = cliTopics(user);
        long before = count(admin);
        admin.createAcls(acls).all().get();
        Eventually.await("the broker knows the user", WAIT, () -> scramUsers(admin), u -> u.contains(user));
        Eventually.await("the broker serves the ACLs", WAIT, () -> count(admin), n -> n == before + acls.size());

        CommandResult add = cliAs(user, "notxn-pw", "add", "--kind", "sender", "--subject", "notxn@example.org",
                "--action", "REJECT never");
        assertThat(add.exitCode()).as(add.stderr()).isEqualTo(ExitCodes.REFUSED);
        assertThat(add.stderr().strip()).doesNotContain("\n");
        assertThat(add.stderr()).contains("refused User:" + user + ": not authorized to Write transactional id"
                + " restrictd-cli-", "while starting a transaction");
    }

    @Test
    void shouldSayTheCredentialsWereRejectedForAWrongPassword() {
        CommandResult add = cliAs("cli", "wrong-password", "add", "--kind", "sender", "--subject", "pw@example.org",
                "--action", "REJECT never");
        assertThat(add.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(add.stderr().strip()).doesNotContain("\n");
        assertThat(add.stderr()).contains("Kafka at " + KAFKA.bootstrapServers() + " rejected the credentials of"
                + " User:cli (SCRAM-SHA-512)", "sasl.jaas.config");
    }

    @Test
    void shouldSayTheTlsHandshakeFailedWhenTheCaIsNotTrusted() {
        Map<String, String> untrusted = new HashMap<>(role("cli"));
        untrusted.remove("ssl.truststore.type");
        untrusted.remove("ssl.truststore.location"); // the JVM's default trust: it never heard of the test CA
        CommandResult add = withProperties("untrusted", untrusted).restrict("add", "--kind", "sender", "--subject",
                "tls@example.org", "--action", "REJECT never");
        assertThat(add.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(add.stderr().strip()).doesNotContain("\n");
        assertThat(add.stderr()).contains("TLS handshake with Kafka at " + KAFKA.bootstrapServers() + " failed",
                "ssl.truststore.location");
    }

    @Test
    void shouldPublishADirectoryWithTheSyncersAclsToAReadOnlyNode() throws Exception {
        String uid = "sec-synced";
        SLAPD.ldapadd("dn: uid=" + uid + "," + SLAPD.peopleDn() + "\nobjectClass: inetOrgPerson\n"
                + "objectClass: restrictdAccount\nuid: " + uid + "\ncn: " + uid + "\nsn: " + uid + "\nmail: " + uid
                + "@example.org\nsmtpdSenderRestrictions: TRUE\n");
        // JAVA_OPTS is split on spaces, so the JAAS line goes in a file (Kafka's other documented way).
        Path jaas = Files.writeString(dir.resolve("syncer.jaas"), "KafkaClient {\n"
                + "  org.apache.kafka.common.security.scram.ScramLoginModule required username=\"syncer\" password=\""
                + PASSWORDS.get("syncer") + "\";\n};\n");
        Map<String, String> props = new HashMap<>(role("syncer"));
        props.remove("sasl.jaas.config");
        SyncerProcess syncer = new SyncerProcess("syncer", dir.resolve("syncer"), SYNCER_ID, KAFKA.bootstrapServers(),
                SLAPD.url(), SLAPD.rootPassword(), SYNCER_PREFIX)
                .javaOption("-Djava.security.auth.login.config=" + jaas);
        props.forEach((k, v) -> syncer.javaOption("-Ddw.kafka.properties." + k.replace(".", "\\.") + "=" + v));
        NodeProcess node = NODES.node(NODES.builder("syncer-node").topic(SYNCER_PREFIX + ".restrictions")
                .kafkaProperties(role("node"))).start();
        try (SyncerProcess s = syncer.start()) {
            Eventually.within(WAIT, s::logText, () -> assertThat(node.postmap(uid + "@example.org").value())
                    .startsWith("REJECT"));
            assertThat(s.health().role()).isEqualTo("leader");
            assertThat(s.logText()).doesNotContain("AuthorizationException", "not authorized");
        }
    }

    /** {@code restrict ARGS} with the configuration of role {@code user} and its password. */
    private static CommandResult cli(String user, String... args) {
        return cliAs(user, PASSWORDS.get(user), args);
    }

    private static CommandResult cliAs(String user, String password, String... args) {
        return withProperties(user + "-" + System.nanoTime(), KAFKA.clientProperties(user, password)).restrict(args);
    }

    /** A node configuration (never started) whose kafka.properties the CLI reads. */
    private static NodeProcess withProperties(String name, Map<String, String> properties) {
        return NODES.node(NODES.builder(name).kafkaProperties(properties));
    }

    /** The CLI's topic ACLs, without the transactional-id one. */
    private static List<AclBinding> cliTopics(String user) {
        return List.of(allow(user, ResourceType.TOPIC, TOPIC, PatternType.LITERAL, AclOperation.WRITE),
                allow(user, ResourceType.TOPIC, AUDIT, PatternType.LITERAL, AclOperation.WRITE),
                allow(user, ResourceType.TOPIC, TOPIC, PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS));
    }

    private static Map<String, String> role(String user) {
        return KAFKA.clientProperties(user, PASSWORDS.get(user));
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern,
            AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
    }

    private static long count(Admin admin) {
        try {
            return admin.describeAcls(AclBindingFilter.ANY).values().get().size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static java.util.Set<String> scramUsers(Admin admin) {
        try {
            return admin.describeUserScramCredentials().all().get().keySet();
        } catch (Exception e) {
            return java.util.Set.of();
        }
    }
}
