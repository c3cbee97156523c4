package io.restrictd.syncer.ldap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where and how to read the directory. The password is never part of {@link #toString()}.
 *
 * @param urls               {@code ldap://} or {@code ldaps://} URLs, tried in order
 * @param bindDn             DN to bind as, or null for an anonymous bind
 * @param bindPassword       its password, or null
 * @param baseDn             search base
 * @param scope              {@code base}, {@code one} or {@code sub}
 * @param filter             LDAP filter that selects restricted entries
 * @param attributes         attributes to request
 * @param startTls           upgrade {@code ldap://} connections with StartTLS; not with {@code ldaps://} URLs
 * @param trustStore         JKS/PKCS12 trust store for LDAPS/StartTLS, or null for the JVM's default; only with TLS
 * @param trustStorePassword its password, or null
 * @param connectTimeout     connect and bind timeout
 * @param reconcileInterval  psearch mode: time between full reconciliations while the persistent search stays
 *                           open; zero disables them (other modes ignore it)
 * @param idAttribute        what identifies an entry: {@code auto}, {@code entryUUID}, {@code nsUniqueId} or
 *                           {@code objectGUID} ({@link EntryIds})
 */
public record LdapSettings(List<String> urls, String bindDn, String bindPassword, String baseDn, String scope,
        String filter, List<String> attributes, boolean startTls, Path trustStore, String trustStorePassword,
        Duration connectTimeout, Duration reconcileInterval, String idAttribute) {
    /** The default {@link #reconcileInterval}. */
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofHours(1);

    /** With the default reconcile interval. */
    public LdapSettings(List<String> urls, String bindDn, String bindPassword, String baseDn, String scope,
            String filter, List<String> attributes, boolean startTls, Path trustStore, String trustStorePassword,
            Duration connectTimeout) {
        this(urls, bindDn, bindPassword, baseDn, scope, filter, attributes, startTls, trustStore, trustStorePassword,
                connectTimeout, DEFAULT_RECONCILE_INTERVAL);
    }

    /** With the automatic choice of the id attribute. */
    public LdapSettings(List<String> urls, String bindDn, String bindPassword, String baseDn, String scope,
            String filter, List<String> attributes, boolean startTls, Path trustStore, String trustStorePassword,
            Duration connectTimeout, Duration reconcileInterval) {
        this(urls, bindDn, bindPassword, baseDn, scope, filter, attributes, startTls, trustStore, trustStorePassword,
                connectTimeout, reconcileInterval, EntryIds.AUTO);
    }

    public LdapSettings {
        urls = List.copyOf(urls);
        idAttribute = idAttribute == null ? EntryIds.AUTO : idAttribute;
        EntryIds.candidates(idAttribute);
        Directory.scope(scope);
        attributes = List.copyOf(attributes);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("ldap.urls: at least one URL is required");
        }
        if (reconcileInterval == null || reconcileInterval.isNegative()
                || !reconcileInterval.isZero() && reconcileInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("ldap.reconcileInterval: must be 0 (off) or at least 1s, not "
                    + reconcileInterval);
        }
        List<String> ldaps = urls.stream().filter(LdapSettings::isLdaps).toList();
        // One transport for every URL: a list where StartTLS applies to some URLs and not others hides which
        // connections are protected, and startTls with only ldaps:// URLs would be a setting that does nothing.
        if (startTls && !ldaps.isEmpty()) {
            throw new IllegalArgumentException("ldap.startTls: true upgrades ldap:// connections, but " + ldaps
                    + " already use TLS: use ldap:// URLs with startTls, or ldaps:// URLs without it");
        }
        if (trustStore != null && !startTls && ldaps.isEmpty()) {
            throw new IllegalArgumentException("ldap.trustStore is set but no connection uses TLS: set ldap.startTls "
                    + "to true or use ldaps:// URLs in ldap.urls");
        }
    }

    /** These settings with another {@link #reconcileInterval}. */
    public LdapSettings withReconcileInterval(Duration interval) {
        return new LdapSettings(urls, bindDn, bindPassword, baseDn, scope, filter, attributes, startTls, trustStore,
                trustStorePassword, connectTimeout, interval, idAttribute);
    }

    /** These settings with another {@link #idAttribute}. */
    public LdapSettings withIdAttribute(String id) {
        return new LdapSettings(urls, bindDn, bindPassword, baseDn, scope, filter, attributes, startTls, trustStore,
                trustStorePassword, connectTimeout, reconcileInterval, id);
    }

    /** Whether connections use TLS: ldaps:// URLs, or StartTLS. */
    public boolean usesTls() {
        return startTls || urls.stream().anyMatch(LdapSettings::isLdaps);
    }

    private static boolean isLdaps(String url) {
        return url.regionMatches(true, 0, "ldaps:", 0, 6);
    }

    /** {@link #attributes} plus the operational ones that say when an entry changed (for the propagation delay). */
    public String[] searchAttributes() {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(attributes);
        all.addAll(EntryIds.candidates(idAttribute));
        all.add("entryCSN");
        all.add("modifyTimestamp");
        return all.toArray(String[]::new);
    }

    @Override
    public String toString() {
        return "LdapSettings[urls=" + urls + ", bindDn=" + bindDn + ", bindPassword="
                + (bindPassword == null ? "none" : "(set)") + ", baseDn=" + baseDn + ", scope=" + scope
                + ", filter=" + filter + ", startTls=" + startTls + ", trustStore=" + trustStore
                + ", reconcileInterval=" + reconcileInterval + ", idAttribute=" + idAttribute + "]";
    }
}
