package io.restrictd.syncer.ldap;

/** The demo directory cannot start or answer: one line naming the file, line, port or account at fault. */
public final class DemoDirectoryException extends RuntimeException {
    public DemoDirectoryException(String message) {
        super(message);
    }
}
