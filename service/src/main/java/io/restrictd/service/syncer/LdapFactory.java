package io.restrictd.service.syncer;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import io.restrictd.syncer.SyncerSettings;
import java.util.List;
import java.util.Locale;

/** {@code ldap:} — which directory to follow, how, and what to read. */
public class LdapFactory {
    /** LDAP URLs (ldap:// or ldaps://), tried in order on every (re)connect. */
    @NotEmpty
    @JsonProperty
    public List<String> urls = List.of("ldap://127.0.0.1:389");

    /** DN to bind as; empty for an anonymous bind. */
    @JsonProperty
    public String bindDn;

    /** The bind password, inline (prefer bindPasswordFile or ${ENV} substitution). Never logged. */
    @JsonProperty
    public String bindPassword;

    /** A file whose first line is the bind password. */
    @JsonProperty
    public String bindPasswordFile;

    /**
     * syncrepl (RFC 4533, OpenLDAP), psearch (persistent search, 389-DS), dirsync (Active Directory's DirSync,
     * Samba too) or poll (any directory).
     */
    @NotNull
    @JsonProperty
    public String mode = "syncrepl";

    /**
     * What identifies an entry: auto (the first of entryUUID, nsUniqueId, objectGUID an entry has), or one of
     * them. Published events carry it in origin.entryId (origin.entryUUID before; still read), whatever it is.
     */
    @NotEmpty
    @JsonProperty
    public String idAttribute = "auto";

    /** Time between full searches in poll mode, between DirSync passes in dirsync mode. */
    @NotNull
    @JsonProperty
    public Duration pollInterval = Duration.minutes(1);

    /**
     * psearch mode: a full reconciliation this often while the persistent search stays open (repairs missed
     * notifications); {@code 0} or {@code off} disables it; else at least 1s. Other modes ignore it.
     */
    @NotEmpty
    @JsonProperty
    public String reconcileInterval = "1h";

    /** Search base. */
    @NotEmpty
    @JsonProperty
    public String baseDn;

    /** base, one or sub. */
    @NotEmpty
    @JsonProperty
    public String scope = "sub";

    /** The filter that selects restricted entries. */
    @NotEmpty
    @JsonProperty
    public String filter = "(smtpdSenderRestrictions=TRUE)";

    /** Upgrade ldap:// connections with StartTLS. */
    @JsonProperty
    public boolean startTls;

    /** Trust store (JKS or PKCS12) for LDAPS/StartTLS; empty for the JVM's default trust. */
    @JsonProperty
    public String trustStore;

    /** The trust store's password, if it has one. */
    @JsonProperty
    public String trustStorePassword;

    /** Connect and bind timeout. */
    @NotNull
    @JsonProperty
    public Duration connectTimeout = Duration.seconds(10);

    /** First delay before reconnecting after a failure; doubles up to retryMax, with jitter. */
    @NotNull
    @JsonProperty
    public Duration retryMin = Duration.seconds(1);

    /** Longest delay between reconnect attempts. */
    @NotNull
    @JsonProperty
    public Duration retryMax = Duration.minutes(1);

    /** {@link #mode} parsed. @throws IllegalArgumentException naming ldap.mode */
    public SyncerSettings.Mode mode() {
        try {
            return SyncerSettings.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ldap.mode: '" + mode + "' is not syncrepl, psearch, dirsync or poll");
        }
    }
}
