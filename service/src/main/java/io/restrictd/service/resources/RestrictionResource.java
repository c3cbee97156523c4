package io.restrictd.service.resources;

import io.restrictd.schema.InvalidEventException;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.service.core.Decision;
import io.restrictd.service.core.Readiness;
import io.restrictd.service.core.Resolver;
import io.restrictd.service.core.RestrictionReader;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /restrictions/{subject}?kind=sender}: what the node would answer for a key and why —
 * the candidate keys in access(5) order, which one matched, the action applied, and every source's
 * restriction on every candidate, expired ones included (marked).
 */
@Path("/restrictions")
@Produces(MediaType.APPLICATION_JSON)
public final class RestrictionResource {
    private final Resolver resolver;
    private final RestrictionReader reader;
    private final Readiness readiness;
    private final Clock clock;

    public RestrictionResource(Resolver resolver, RestrictionReader reader, Readiness readiness, Clock clock) {
        this.resolver = resolver;
        this.reader = reader;
        this.readiness = readiness;
        this.clock = clock;
    }

    @GET
    @Path("/{subject}")
    public Map<String, Object> explain(@PathParam("subject") String subject,
            @QueryParam("kind") @DefaultValue("sender") String kindName) {
        Kind kind;
        try {
            kind = Kind.fromWire(kindName);
        } catch (InvalidEventException e) {
            throw new WebApplicationException(e.getMessage(), Response.Status.BAD_REQUEST);
        }
        Decision d = resolver.explain(kind, subject);
        Instant now = clock.instant();
        List<Map<String, Object>> found = new ArrayList<>();
        for (String candidate : d.candidates()) {
            for (Restriction r : reader.get(kind, candidate)) {
                Map<String, Object> view = Views.restriction(r);
                view.put("matchedKey", candidate);
                view.put("active", r.activeAt(now));
                found.add(view);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", kind.wireName());
        out.put("query", subject);
        out.put("ready", readiness.ready());
        out.put("candidates", d.candidates());
        out.put("restricted", d.restricted());
        out.put("matchedKey", d.matchedKey());
        out.put("action", d.restricted() ? d.winner().action().render() : null);
        out.put("winner", d.restricted() ? Views.restriction(d.winner()) : null);
        out.put("restrictions", found);
        return out;
    }
}
