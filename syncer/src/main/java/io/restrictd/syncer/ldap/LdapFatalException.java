package io.restrictd.syncer.ldap;

/** A directory error that retrying cannot fix (bad credentials, missing base, bad filter): stop and say why. */
public final class LdapFatalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LdapFatalException(String message, Throwable cause) {
        super(message, cause);
    }
}
