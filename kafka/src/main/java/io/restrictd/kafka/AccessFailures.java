package io.restrictd.kafka;

import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Says in one line why the brokers refused a client: its credentials (SASL), the TLS handshake, or an ACL.
 * Retrying does not help with any of these, unlike a broker that does not answer, so callers report them
 * apart. The line names the brokers, the principal (the SCRAM/PLAIN user of {@code sasl.jaas.config}), the
 * operation the caller was attempting, and the resource the broker named, where it did. Stateless.
 */
public final class AccessFailures {
    /** Where the ACLs each role needs are written down. */
    public static final String DOC = "docs/kafka-security.md";
    private static final Pattern USER = Pattern.compile("username=\"([^\"]*)\"");

    private AccessFailures() {
    }

    /**
     * @param e         what a client call threw (or its cause chain holds)
     * @param client    the properties the failing client was created with
     * @param operation the ACL operation the call needed (e.g. {@code Write}), or null when unknown
     * @return the refusal as one line, or empty when {@code e} is no authentication or authorization failure
     */
    public static Optional<String> explain(Throwable e, Properties client, String operation) {
        String brokers = "Kafka at " + client.getProperty("bootstrap.servers");
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthorizationException a) {
                return Optional.of(brokers + " refused " + principal(client) + ": not authorized to "
                        + (operation == null ? "use " : operation + " ") + resource(a, client)
                        + " (no ACL allows it; " + DOC + " lists the ACLs each role needs)");
            }
            if (t instanceof SslAuthenticationException s) {
                return Optional.of("TLS handshake with " + brokers + " failed: " + rootMessage(s)
                        + " (does ssl.truststore.location hold the CA that signed the brokers' certificates, and do"
                        + " they name the host in bootstrap.servers?)");
            }
            if (t instanceof SaslAuthenticationException || t instanceof AuthenticationException) {
                return Optional.of(brokers + " rejected the credentials of " + principal(client) + " ("
                        + client.getProperty("sasl.mechanism", "GSSAPI") + "): " + firstLine(t.getMessage())
                        + " (check the username and password in kafka.properties sasl.jaas.config)");
            }
        }
        return Optional.empty();
    }

    /** {@code User:NAME} from {@code sasl.jaas.config}, or a description when there is none. */
    static String principal(Properties client) {
        String jaas = client.getProperty("sasl.jaas.config");
        Matcher m = USER.matcher(jaas == null ? "" : jaas);
        if (m.find()) {
            return "User:" + m.group(1);
        }
        return "the client (security.protocol " + client.getProperty("security.protocol", "PLAINTEXT") + ")";
    }

    private static String resource(AuthorizationException a, Properties client) {
        if (a instanceof TopicAuthorizationException t) {
            return t.unauthorizedTopics().isEmpty() ? "a topic" : (t.unauthorizedTopics().size() == 1 ? "topic "
                    : "topics ") + String.join(", ", t.unauthorizedTopics().stream().sorted().toList());
        }
        if (a instanceof GroupAuthorizationException g) {
            return "group " + (g.groupId() != null ? g.groupId() : client.getProperty("group.id", "(unnamed)"));
        }
        if (a instanceof TransactionalIdAuthorizationException) {
            return "transactional id " + client.getProperty("transactional.id", "(unnamed)");
        }
        if (a instanceof ClusterAuthorizationException) {
            return "the cluster";
        }
        return "the resource: " + firstLine(a.getMessage());
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return firstLine(root.getMessage() != null ? root.getMessage() : t.getMessage());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
