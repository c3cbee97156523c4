package io.restrictd.service.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.restrictd.kafka.TopicSettings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code ingest:} — how the node follows the restrictions topic. */
public class IngestFactory {
    /** What to do with a record that does not decode or fails the schema. */
    public enum BadRecordPolicy {
        /** Log it with topic/partition/offset, count it, surface it in health, and go on. */
        SKIP,
        /** Stop ingesting at that record (lookups keep answering from the store); health turns unhealthy. */
        HALT
    }

    /** Policy for records that fail decoding or validation: skip (default) or halt. */
    @NotNull
    private BadRecordPolicy badRecords = BadRecordPolicy.SKIP;

    /** Most records fetched per poll. */
    @Min(1)
    @Max(100_000)
    private int maxPollRecords = 10_000;

    /**
     * Most changes per store commit. Lookups read the store's in-memory mirror and never wait for a
     * commit; every commit syncs the file, so larger ones make a catch-up faster (measured here, MapDB
     * alone: 57–77k inserts/s at 2000 per commit, 93–110k/s at 10000).
     */
    @Min(1)
    @Max(100_000)
    private int maxCommitChanges = 10_000;

    /**
     * A store last caught up longer ago than this is rebuilt from the beginning: compaction may have
     * dropped tombstones it never saw. Keep it at or below the topic's delete.retention.ms; the default is
     * the retention restrictd creates topics with ({@link TopicSettings#DEFAULT_DELETE_RETENTION}, 24 h), so
     * the two cannot drift apart.
     */
    @NotNull
    private Duration maxOffline = inHoursIfWhole(TopicSettings.DEFAULT_DELETE_RETENTION);

    /** How often expired restrictions are removed from the store (they never match in any case). */
    @NotNull
    private Duration sweepInterval = Duration.seconds(30);

    /** How long to wait before retrying after Kafka or the store failed. */
    @NotNull
    private Duration retryBackoff = Duration.seconds(1);

    /** Health reports the node as stale when it has not confirmed being caught up for this long. */
    @NotNull
    private Duration staleAfter = Duration.minutes(5);

    @JsonProperty
    public BadRecordPolicy getBadRecords() {
        return badRecords;
    }

    @JsonProperty
    public void setBadRecords(BadRecordPolicy badRecords) {
        this.badRecords = badRecords;
    }

    @JsonProperty
    public int getMaxPollRecords() {
        return maxPollRecords;
    }

    @JsonProperty
    public void setMaxPollRecords(int maxPollRecords) {
        this.maxPollRecords = maxPollRecords;
    }

    @JsonProperty
    public int getMaxCommitChanges() {
        return maxCommitChanges;
    }

    @JsonProperty
    public void setMaxCommitChanges(int maxCommitChanges) {
        this.maxCommitChanges = maxCommitChanges;
    }

    @JsonProperty
    public Duration getMaxOffline() {
        return maxOffline;
    }

    @JsonProperty
    public void setMaxOffline(Duration maxOffline) {
        this.maxOffline = maxOffline;
    }

    @JsonProperty
    public Duration getSweepInterval() {
        return sweepInterval;
    }

    @JsonProperty
    public void setSweepInterval(Duration sweepInterval) {
        this.sweepInterval = sweepInterval;
    }

    @JsonProperty
    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    @JsonProperty
    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    @JsonProperty
    public Duration getStaleAfter() {
        return staleAfter;
    }

    @JsonProperty
    public void setStaleAfter(Duration staleAfter) {
        this.staleAfter = staleAfter;
    }

    /** {@code d} as Dropwizard's Duration, in hours when it is whole hours, so logs say "24 hours". */
    private static Duration inHoursIfWhole(java.time.Duration d) {
        return d.toMillis() % 3_600_000 == 0 ? Duration.hours(d.toHours()) : Duration.milliseconds(d.toMillis());
    }
}
