package io.restrictd.syncer.ldap;

/** A directory error that may pass (network, server down, busy): back off and retry. */
public final class LdapUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LdapUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
