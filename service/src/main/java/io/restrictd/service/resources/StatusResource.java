package io.restrictd.service.resources;

import io.restrictd.service.ingest.IngestStatus;
import io.restrictd.service.store.StoreDirectory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET /status}: readiness, ingest state and lag, store size and position. */
@Path("/status")
@Produces(MediaType.APPLICATION_JSON)
public final class StatusResource {
    private final Supplier<IngestStatus> ingest;
    private final StoreDirectory stores;

    public StatusResource(Supplier<IngestStatus> ingest, StoreDirectory stores) {
        this.ingest = ingest;
        this.stores = stores;
    }

    @GET
    public Map<String, Object> status() {
        IngestStatus s = ingest.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ready", s.ready());
        out.put("state", s.state().name());
        out.put("kafkaReachable", s.kafkaReachable());
        out.put("lastKafkaOk", Views.time(s.lastKafkaOk()));
        out.put("syncedAt", Views.time(s.syncedAt()));
        out.put("lag", s.lag());
        out.put("applied", s.applied());
        out.put("skipped", s.skipped());
        out.put("lastSkipped", s.lastSkipped());
        out.put("lastError", s.lastError());
        out.put("rebuilds", s.rebuilds());
        Map<String, Object> store = new LinkedHashMap<>();
        store.put("file", stores.current().location().toString());
        store.put("restrictions", stores.current().size());
        store.put("position", stores.current().position().nextOffsets());
        store.put("writeError", s.storeError()); // null unless ingest is stopped by a failing store (disk full)
        out.put("store", store);
        return out;
    }
}
