package io.restrictd.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

class AccessFailuresTest {
    private static Properties client(String user) {
        Properties p = new Properties();
        p.put("bootstrap.servers", "k1:9093");
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"secret\";");
        p.put("transactional.id", "restrictd-cli-42");
        p.put("group.id", "restrictd-syncer-mx");
        return p;
    }

    @Test
    void shouldNamePrincipalOperationAndTransactionalId() {
        assertThat(AccessFailures.explain(new KafkaException(new TransactionalIdAuthorizationException("Transactional"
                + " Id authorization failed.")), client("node"), "Write")).contains("Kafka at k1:9093 refused User:node:"
                + " not authorized to Write transactional id restrictd-cli-42 (no ACL allows it; docs/kafka-security.md"
                + " lists the ACLs each role needs)");
    }

    @Test
    void shouldNameTheTopicsAndTheGroupTheBrokerNamed() {
        assertThat(AccessFailures.explain(new ExecutionException(new TopicAuthorizationException("no",
                Set.of("b", "a"))), client("cli"), "Write")).get().asString()
                .contains("refused User:cli: not authorized to Write topics a, b (");
        assertThat(AccessFailures.explain(new GroupAuthorizationException("no", "g1"), client("s"), "Read")).get()
                .asString().contains("not authorized to Read group g1 (");
    }

    @Test
    void shouldSayTheCredentialsWereRejected() {
        assertThat(AccessFailures.explain(new SaslAuthenticationException("Authentication failed during"
                + " authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"), client("cli"), null))
                .get().asString().startsWith("Kafka at k1:9093 rejected the credentials of User:cli (SCRAM-SHA-512):"
                        + " Authentication failed").contains("sasl.jaas.config").doesNotContain("secret");
    }

    @Test
    void shouldGiveTheTlsFailuresRootCause() {
        SslAuthenticationException e = new SslAuthenticationException("SSL handshake failed",
                new SSLHandshakeException("PKIX path building failed"));
        assertThat(AccessFailures.explain(e, client("cli"), null)).get().asString()
                .startsWith("TLS handshake with Kafka at k1:9093 failed: PKIX path building failed");
    }

    @Test
    void shouldLeaveOtherFailuresAlone() {
        assertThat(AccessFailures.explain(new TimeoutException("slow"), client("cli"), "Write")).isEmpty();
    }

    @Test
    void shouldDescribeAClientWithoutSaslByItsProtocol() {
        Properties p = new Properties();
        p.put("bootstrap.servers", "k1:9092");
        assertThat(AccessFailures.explain(new TopicAuthorizationException("no", Set.of("t")), p, "Read")).get()
                .asString().contains("refused the client (security.protocol PLAINTEXT): not authorized to Read topic t");
    }
}
