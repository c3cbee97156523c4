package io.restrictd.service.syncer;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.restrictd.schema.AccessAction;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.service.config.KafkaFactory;
import io.restrictd.syncer.SyncerSettings;
import io.restrictd.syncer.ldap.LdapSettings;
import io.restrictd.syncer.mapping.Mapping;
import io.restrictd.syncer.publish.KafkaSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The syncer's YAML configuration ({@code ops/config/syncer.yml}): syncer, kafka, ldap, mapping. */
public class SyncerConfiguration extends Configuration {
    /** Environment variable read for the bind password when neither bindPassword nor bindPasswordFile is set. */
    static final String PASSWORD_ENV = "RESTRICTD_LDAP_PASSWORD";

    @Valid
    @NotNull
    @JsonProperty
    public SyncerFactory syncer = new SyncerFactory();

    @Valid
    @NotNull
    @JsonProperty
    public KafkaFactory kafka = new KafkaFactory();

    @Valid
    @NotNull
    @JsonProperty
    public LdapFactory ldap = new LdapFactory();

    @Valid
    @NotNull
    @JsonProperty
    public MappingFactory mapping = new MappingFactory();

    /**
     * The validated settings.
     *
     * @param env the process environment (for the password variable)
     * @throws IllegalArgumentException naming the setting at fault
     */
    public SyncerSettings toSettings(Map<String, String> env) {
        SyncerSettings.Mode mode = ldap.mode();
        AccessAction action;
        try {
            action = AccessAction.parse(mapping.action);
        } catch (InvalidEventException e) {
            throw new IllegalArgumentException("mapping.action: " + e.getMessage());
        }
        Mapping m;
        try {
            m = new Mapping(mapping.source, mapping.senderAttributes, mapping.loginAttributes, action,
                    blankToNull(mapping.messageAttribute), blankToNull(mapping.actionAttribute),
                    blankToNull(mapping.expiryAttribute));
        } catch (InvalidEventException e) {
            throw new IllegalArgumentException("mapping.source: " + e.getMessage());
        }
        LdapSettings l = new LdapSettings(ldap.urls, blankToNull(ldap.bindDn), password(env), ldap.baseDn, ldap.scope,
                ldap.filter, m.requestedAttributes(), ldap.startTls,
                blankToNull(ldap.trustStore) == null ? null : Path.of(ldap.trustStore),
                blankToNull(ldap.trustStorePassword),
                duration(ldap.connectTimeout), reconcileInterval()).withIdAttribute(ldap.idAttribute);
        KafkaSettings k = kafka();
        adminAddress();
        return new SyncerSettings(syncer.id, mode, duration(ldap.pollInterval), duration(ldap.retryMin),
                duration(ldap.retryMax), l, m, k, duration(syncer.failover));
    }

    /**
     * The syncer's Kafka clients and topics (its state and leader topics included).
     *
     * @throws IllegalArgumentException naming the setting at fault
     */
    public KafkaSettings kafka() {
        return new KafkaSettings(kafka.client(), kafka.topicSettings().withSyncerTopics(syncer.stateTopic,
                syncer.leaderTopic));
    }

    /**
     * The admin endpoint's address, or null when {@code syncer.adminListen} is empty.
     *
     * @throws IllegalArgumentException naming syncer.adminListen if it is not host:port
     */
    public InetSocketAddress adminAddress() {
        String listen = blankToNull(syncer.adminListen);
        if (listen == null) {
            return null;
        }
        int colon = listen.lastIndexOf(':');
        try {
            int port = Integer.parseInt(listen.substring(colon + 1));
            if (colon <= 0 || port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(listen.substring(0, colon).replace("[", "").replace("]", ""), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("syncer.adminListen: '" + listen + "' is not host:port");
        }
    }

    private String password(Map<String, String> env) {
        String file = blankToNull(ldap.bindPasswordFile); // empty, as ${VAR:-} gives: not set
        if (ldap.bindPassword != null && file != null) {
            throw new IllegalArgumentException("ldap.bindPassword and ldap.bindPasswordFile: set one, not both");
        }
        if (file != null) {
            try {
                List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
                if (lines.isEmpty() || lines.get(0).isEmpty()) {
                    throw new IllegalArgumentException("ldap.bindPasswordFile: " + file + " is empty");
                }
                return lines.get(0);
            } catch (IOException e) {
                throw new IllegalArgumentException("ldap.bindPasswordFile: cannot read " + file
                        + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (ldap.bindPassword != null) {
            return ldap.bindPassword;
        }
        String fromEnv = env.get(PASSWORD_ENV);
        if (blankToNull(ldap.bindDn) != null && fromEnv == null) {
            throw new IllegalArgumentException("ldap.bindDn is set but there is no password: set ldap.bindPassword, "
                    + "ldap.bindPasswordFile or " + PASSWORD_ENV);
        }
        return fromEnv;
    }

    /** {@code ldap.reconcileInterval}: a duration such as {@code 1h}, or {@code 0}/{@code off} for none. */
    private Duration reconcileInterval() {
        String v = ldap.reconcileInterval.trim();
        if (v.equals("0") || v.equalsIgnoreCase("off")) {
            return Duration.ZERO;
        }
        try {
            return duration(io.dropwizard.util.Duration.parse(v));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ldap.reconcileInterval: '" + v + "' is not a duration (e.g. 1h, 30m) "
                    + "nor 0/off");
        }
    }

    private static Duration duration(io.dropwizard.util.Duration d) {
        return Duration.ofMillis(d.toMilliseconds());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
