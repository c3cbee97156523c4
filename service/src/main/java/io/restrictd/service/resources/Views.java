package io.restrictd.service.resources;

import io.restrictd.schema.Restriction;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON views of domain values for the admin API, with times as RFC 3339 strings. */
final class Views {
    private Views() {
    }

    static Map<String, Object> restriction(Restriction r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("source", r.key().source());
        v.put("kind", r.key().kind().wireName());
        v.put("subject", r.key().subject());
        v.put("action", r.action().render());
        v.put("reason", r.reason());
        v.put("actor", r.actor());
        v.put("ticket", r.ticket());
        v.put("origin", r.origin());
        v.put("createdAt", time(r.createdAt()));
        v.put("expiresAt", time(r.expiresAt()));
        return v;
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
