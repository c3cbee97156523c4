package io.restrictd.syncer;

import io.restrictd.syncer.ldap.LdapSettings;
import io.restrictd.syncer.mapping.Mapping;
import io.restrictd.syncer.publish.KafkaSettings;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Everything one syncer needs, validated. Built by the service's configuration classes.
 *
 * @param id           this syncer's name: the transactional id suffix and the key of its position
 * @param mode         how the directory is followed
 * @param pollInterval time between full searches in {@link Mode#POLL}, between DirSync passes in {@link Mode#DIRSYNC}
 * @param retryMin     first reconnect delay after a failure
 * @param retryMax     cap of the exponential reconnect delay
 * @param failover     how long a leader may be silent before a standby takes over (the election group's
 *                     session timeout; the broker allows 6 s to 30 min by default)
 */
public record SyncerSettings(String id, Mode mode, Duration pollInterval, Duration retryMin, Duration retryMax,
        LdapSettings ldap, Mapping mapping, KafkaSettings kafka, Duration failover) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** The default {@link #failover}: the broker's smallest allowed session timeout. */
    public static final Duration DEFAULT_FAILOVER = Duration.ofSeconds(6);

    /** With the default failover time. */
    public SyncerSettings(String id, Mode mode, Duration pollInterval, Duration retryMin, Duration retryMax,
            LdapSettings ldap, Mapping mapping, KafkaSettings kafka) {
        this(id, mode, pollInterval, retryMin, retryMax, ldap, mapping, kafka, DEFAULT_FAILOVER);
    }

    /** How the directory is followed. */
    public enum Mode {
        /** RFC 4533 refreshAndPersist with cookies (OpenLDAP syncprov). */
        SYNCREPL,
        /** Persistent search with a full reconciliation on every connect (389-DS). */
        PSEARCH,
        /** Active Directory's DirSync control, its cookie as position (AD, Samba). */
        DIRSYNC,
        /** A full search every pollInterval, and a diff (any directory). */
        POLL
    }

    public SyncerSettings {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("syncer.id: '" + id + "' must be 1-100 of A-Z a-z 0-9 . _ -");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("ldap.pollInterval: must be positive");
        }
        if (retryMin.isNegative() || retryMin.isZero() || retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("ldap.retryMin/retryMax: need 0 < retryMin <= retryMax");
        }
        if (failover == null || failover.toMillis() < 1000) {
            throw new IllegalArgumentException("syncer.failover: must be at least 1s (the broker's "
                    + "group.min.session.timeout.ms, 6s by default, is the real floor)");
        }
    }
}
