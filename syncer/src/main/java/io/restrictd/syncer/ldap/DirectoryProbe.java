package io.restrictd.syncer.ldap;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.util.ssl.SSLUtil;
import java.security.GeneralSecurityException;

/**
 * Asks a directory's root DSE how it can be followed: content sync (RFC 4533, OpenLDAP syncprov) →
 * {@code syncrepl}, persistent search (389-DS) → {@code psearch}, Active Directory's DirSync →
 * {@code dirsync}, else {@code poll}; and checks the bind on the way.
 */
public final class DirectoryProbe {
    static final String CONTENT_SYNC = "1.3.6.1.4.1.4203.1.9.1.1";
    static final String PERSISTENT_SEARCH = "2.16.840.1.113730.3.4.3";
    static final String DIRSYNC = "1.2.840.113556.1.4.841";

    private DirectoryProbe() {
    }

    /** The innermost cause's message ("Connection refused"), without the SDK's wrapping. */
    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (t == e || m == null) {
            java.util.regex.Matcher x = java.util.regex.Pattern.compile("[A-Za-z]+Exception\\(([^)]+)\\)")
                    .matcher(String.valueOf(e.getMessage()));
            return x.find() ? x.group(1).toLowerCase(java.util.Locale.ROOT) : "connection failed";
        }
        return m.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The mode name for {@code ldap.mode}.
     *
     * @param bindDn null for an anonymous probe
     * @throws LdapFatalException naming the URL: unreachable, not LDAP, or the bind refused
     */
    public static String mode(String url, String bindDn, String password) {
        try {
            LDAPURL u = new LDAPURL(url);
            try (LDAPConnection c = "ldaps".equalsIgnoreCase(u.getScheme())
                    ? new LDAPConnection(new SSLUtil().createSSLSocketFactory(), u.getHost(), u.getPort())
                    : new LDAPConnection(u.getHost(), u.getPort())) {
                if (bindDn != null) {
                    c.bind(bindDn, password);
                }
                RootDSE dse = c.getRootDSE();
                if (dse == null) {
                    return "poll";
                }
                if (dse.supportsControl(CONTENT_SYNC)) {
                    return "syncrepl";
                }
                if (dse.supportsControl(PERSISTENT_SEARCH)) {
                    return "psearch";
                }
                if (dse.supportsControl(DIRSYNC)) {
                    return "dirsync";
                }
                return "poll";
            }
        } catch (LDAPException e) {
            String why = e.getResultCode() == ResultCode.INVALID_CREDENTIALS ? "the bind was refused (invalid"
                    + " credentials for " + bindDn + ")"
                    : e.getResultCode() == ResultCode.CONNECT_ERROR ? "no answer (" + rootCause(e) + ")"
                    : e.getResultCode() + ": " + e.getDiagnosticMessage();
            throw new LdapFatalException(url + ": " + why, e);
        } catch (GeneralSecurityException e) {
            throw new LdapFatalException(url + ": TLS: " + e.getMessage(), e);
        }
    }
}
