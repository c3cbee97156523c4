package io.restrictd.service.protocol.net;

import java.time.Duration;

/**
 * Limits that protect a server from its clients, whatever the protocol.
 *
 * @param maxConnections connections served at once; more are accepted and closed at once (Postfix
 *                       makes that a temporary lookup failure: 451 4.3.0 for that mail)
 * @param idleTimeout    how long a connection may sit between requests before it is closed
 * @param requestTimeout how long a request may take from its first byte to its reply being written
 *                       (a slow or stalled client is closed after this)
 */
public record ServerLimits(int maxConnections, Duration idleTimeout, Duration requestTimeout) {
    /**
     * Two servers at this cap (18,000 connections) fit a 20,000 open-file limit with room for the
     * store, Kafka and HTTP; connections cost no thread, so a higher limit allows a higher cap.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 9000;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    public static final ServerLimits DEFAULTS =
            new ServerLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);

    public ServerLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
        }
    }
}
