package io.restrictd.service.cli;

/** The restrict CLI's exit codes, stable for scripts. */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** Nothing found or nothing to do (show/list found nothing, lift of an unrestricted subject). */
    public static final int NOT_FOUND = 1;
    /** Usage, validation or configuration error; nothing was published. */
    public static final int USAGE = 2;
    /** Kafka unavailable: timeout or error talking to the brokers. */
    public static final int UNAVAILABLE = 3;
    /**
     * Kafka refused: the credentials were rejected, the TLS handshake failed, or no ACL allows the operation.
     * Nothing more was published; retrying will not help until the configuration or the ACLs change.
     */
    public static final int REFUSED = 4;

    private ExitCodes() {
    }
}
