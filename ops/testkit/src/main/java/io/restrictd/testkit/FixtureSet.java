package io.restrictd.testkit;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which implementations {@link Fixtures} hands out: the native servers started by the ops scripts (the
 * default, and the only set these project machines can run), or containers, where a Docker engine exists.
 * Chosen by {@code -D}{@value #PROPERTY}{@code =native|containers}, else the environment variable
 * {@value #ENVIRONMENT}.
 */
public enum FixtureSet {
    /** {@code ops/bin/slapd-local} and {@code ops/bin/kafka-local}, on this machine. */
    NATIVE,
    /** Kafka from the {@code apache/kafka} image; slapd-local in a Debian image (Testcontainers). */
    CONTAINERS;

    /** The system property that chooses the set. */
    public static final String PROPERTY = "restrictd.fixtures";
    /** The environment variable that chooses the set when the property is not given. */
    public static final String ENVIRONMENT = "RESTRICTD_FIXTURES";

    /** {@code native} or {@code containers}: what the property and the variable accept. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The set that {@code property} (the system property's value) names, else {@code environment} (the
     * variable's), else {@link #NATIVE}. Blank counts as not given; case and surrounding spaces are ignored.
     *
     * @throws FixtureUnavailableException naming the setting, when it names no set
     */
    public static FixtureSet choose(String property, String environment) {
        if (property != null && !property.isBlank()) {
            return parse(property, "-D" + PROPERTY);
        }
        if (environment != null && !environment.isBlank()) {
            return parse(environment, ENVIRONMENT);
        }
        return NATIVE;
    }

    /** The set chosen for this JVM, from {@link System#getProperty} and {@link System#getenv}. */
    static FixtureSet fromSystem() {
        return choose(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
    }

    private static FixtureSet parse(String value, String setting) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        for (FixtureSet set : values()) {
            if (set.value().equals(wanted)) {
                return set;
            }
        }
        throw new FixtureUnavailableException(setting + "=" + value + " names no fixture set: use "
                + Arrays.stream(values()).map(FixtureSet::value).collect(Collectors.joining(" or ")));
    }
}
