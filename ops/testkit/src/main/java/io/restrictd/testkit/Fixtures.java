package io.restrictd.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The one place integration tests get their Kafka broker and OpenLDAP directory from:
 * <pre>
 * &#64;RegisterExtension
 * static KafkaFixture kafka = Fixtures.kafka();
 * &#64;RegisterExtension
 * static LdapFixture slapd = Fixtures.openLdap();
 * </pre>
 * The native servers ({@link KafkaBroker}, {@link Slapd}: the shipped ops scripts) unless
 * {@code -Drestrictd.fixtures=containers} (or {@code RESTRICTD_FIXTURES=containers}) asks for containers
 * ({@link FixtureSet}). The first call prints which set this JVM uses, once. Servers a test restarts or kills,
 * the 3-broker {@link KafkaCluster}, slapd with TLS, {@link DirectoryServer389}, {@link SambaAdDc} and
 * {@link Postfix} are native only: tests build those directly.
 *
 * <p>An unknown set, or containers without a Docker engine, fails each fixture's start with one line
 * ({@link FixtureUnavailableException}) rather than a hang or a stack trace.
 */
public final class Fixtures {
    /** Overrides the Kafka image of the container set. */
    public static final String KAFKA_IMAGE_PROPERTY = "restrictd.fixtures.kafka-image";

    private static FixtureSet selected;
    private static String unavailable;

    private Fixtures() {
    }

    /** A single-node KRaft broker: {@link KafkaBroker}, or a container of {@link #kafkaImage()}. */
    public static KafkaFixture kafka() {
        FixtureSet set = selected();
        if (set == null) {
            return new UnavailableFixture(unavailable);
        }
        return set == FixtureSet.CONTAINERS ? new KafkaInContainer(kafkaImage()) : new KafkaBroker();
    }

    /** OpenLDAP slapd with syncprov, the restrictd schema and the base entries ({@code ops/ldap/base.ldif}). */
    public static LdapFixture openLdap() {
        return openLdap(null);
    }

    /**
     * As {@link #openLdap()}, also loaded with {@code bulkLdif} before the first start (the file may hold the
     * suffix entry itself or only entries below the base ones), as {@link Slapd#Slapd(Path)}.
     */
    public static LdapFixture openLdap(Path bulkLdif) {
        FixtureSet set = selected();
        if (set == null) {
            return new UnavailableFixture(unavailable);
        }
        return set == FixtureSet.CONTAINERS ? new SlapdInContainer(bulkLdif) : new Slapd(bulkLdif);
    }

    /**
     * The set this JVM uses; null when the setting names none (the fixtures then fail with that message).
     * The first call prints the choice.
     */
    public static synchronized FixtureSet selected() {
        if (selected == null && unavailable == null) {
            try {
                selected = announce(FixtureSet.fromSystem(), System.out);
            } catch (FixtureUnavailableException e) {
                unavailable = announce(e, System.out);
            }
        }
        return selected;
    }

    /** Prints the banner line for {@code set} to {@code out}; returns {@code set}. */
    static FixtureSet announce(FixtureSet set, PrintStream out) {
        out.println("restrictd test fixtures: " + describe(set));
        return set;
    }

    /** Prints why no set could be chosen to {@code out}; returns the reason. */
    static String announce(FixtureUnavailableException why, PrintStream out) {
        out.println("restrictd test fixtures: none: " + why.getMessage());
        return why.getMessage();
    }

    /** What the banner says about {@code set}. */
    static String describe(FixtureSet set) {
        return switch (set) {
            case NATIVE -> "native (ops/bin/slapd-local, ops/bin/kafka-local)";
            case CONTAINERS -> "containers (Kafka: " + kafkaImage() + "; OpenLDAP: ops/bin/slapd-local in a Debian 12 image), untested on the project's machines; "
                    + "the 3-broker cluster, slapd with TLS or restarted, 389-DS, Samba and Postfix stay native";
        };
    }

    /** {@code apache/kafka:} the broker version of the build, unless {@value #KAFKA_IMAGE_PROPERTY} says. */
    static String kafkaImage() {
        String image = System.getProperty(KAFKA_IMAGE_PROPERTY);
        if (image != null && !image.isBlank()) {
            return image.strip();
        }
        Properties built = new Properties();
        try (InputStream in = Fixtures.class.getResourceAsStream("fixtures.properties")) {
            if (in == null) {
                throw new IllegalStateException("fixtures.properties is missing from the test kit's jar");
            }
            built.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return built.getProperty("kafka.image");
    }
}
