package io.restrictd.service.syncer;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;

/** {@code syncer:} — this syncer's identity. */
public class SyncerFactory {
    /** Names this syncer: transactional id restrictd-syncer-ID, and the key of its position. */
    @NotEmpty
    @JsonProperty
    public String id = "default";

    /** Compacted topic holding each syncer's committed position (cookie or marker), keyed by id. */
    @NotEmpty
    @JsonProperty
    public String stateTopic = "restrictd.syncer-state";
}
