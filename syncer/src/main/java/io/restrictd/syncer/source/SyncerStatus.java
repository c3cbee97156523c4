package io.restrictd.syncer.source;

import java.time.Clock;
import java.time.Instant;

/** What the syncer is doing, for health checks and logs. Written by the sync thread, read by any. */
public final class SyncerStatus {
    private final Clock clock;
    private volatile boolean connected;
    private volatile String phase = "starting";
    private volatile Instant lastChangeSeen;
    private volatile Instant lastCommit;
    private volatile String lastError;
    private volatile long reconnects;

    SyncerStatus(Clock clock) {
        this.clock = clock;
    }

    public boolean connected() {
        return connected;
    }

    /** starting, refresh, persist, poll, backoff or stopped. */
    public String phase() {
        return phase;
    }

    public Instant lastChangeSeen() {
        return lastChangeSeen;
    }

    public Instant lastCommit() {
        return lastCommit;
    }

    public String lastError() {
        return lastError;
    }

    public long reconnects() {
        return reconnects;
    }

    void connected(boolean connected) {
        this.connected = connected;
    }

    void phase(String phase) {
        this.phase = phase;
    }

    void sawChange() {
        lastChangeSeen = clock.instant();
    }

    void committed(Instant at) {
        lastCommit = at;
    }

    void failed(String error) {
        lastError = error;
        reconnects++;
    }
}
