package io.restrictd.service.health;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one table of restrictd's Prometheus names: each Dropwizard metric the node or the syncer registers, the
 * stable Prometheus name it is exported under, its type, its labels and the help text saying what it measures.
 * Names carry base units ({@code _seconds}); counters get {@code _total} from the exposition. docs/install.md
 * lists the same names; a metric missing here is still exported, under {@link #fallback}, with help text that
 * says so (and the scrape tests fail on it).
 */
final class MetricCatalog {

    /** How a Dropwizard metric is exported. */
    enum Type { GAUGE, COUNTER, SUMMARY }

    /**
     * One row: Dropwizard names matching {@code pattern} export as {@code name}; {@code labels} alternate label
     * names and values, where a value {@code $1} is the pattern's first group.
     */
    record Entry(Pattern pattern, String name, Type type, String help, List<String> labels) {
        Optional<Export> match(String dropwizardName) {
            Matcher m = pattern.matcher(dropwizardName);
            if (!m.matches()) {
                return Optional.empty();
            }
            String[] values = labels.toArray(String[]::new);
            for (int i = 1; i < values.length; i += 2) {
                values[i] = values[i].equals("$1") ? m.group(1).replace('-', '_') : values[i];
            }
            return Optional.of(new Export(name, type, help, values));
        }
    }

    /** Where one Dropwizard metric goes: name, type, help and label name/value pairs. */
    record Export(String name, Type type, String help, String[] labels) {
    }

    private static final String PROTOCOL = "restrictd\\.(socketmap|policy)\\.";
    private static final String LOOKUPS = "Lookups answered, per protocol and answer: restricted (a restriction "
            + "matched), not_restricted, unavailable (not ready or failed: Postfix defers the mail)";

    private static final List<Entry> ENTRIES = List.of(
            e(PROTOCOL + "lookup", "restrictd_lookup_duration_seconds", Type.SUMMARY,
                    "Time to answer one lookup from the store (a policy request may make two), per protocol",
                    "protocol", "$1"),
            e(PROTOCOL + "restricted", "restrictd_lookups", Type.COUNTER, LOOKUPS,
                    "protocol", "$1", "answer", "restricted"),
            e(PROTOCOL + "not-restricted", "restrictd_lookups", Type.COUNTER, LOOKUPS,
                    "protocol", "$1", "answer", "not_restricted"),
            e(PROTOCOL + "unavailable", "restrictd_lookups", Type.COUNTER, LOOKUPS,
                    "protocol", "$1", "answer", "unavailable"),
            e(PROTOCOL + "bad-requests", "restrictd_bad_requests", Type.COUNTER,
                    "Requests answered with a protocol error (malformed, too long, unknown map), per protocol",
                    "protocol", "$1"),
            e(PROTOCOL + "connections\\.open", "restrictd_connections_open", Type.GAUGE,
                    "Client connections open now, per protocol", "protocol", "$1"),
            e(PROTOCOL + "connections\\.rejected", "restrictd_connections_rejected", Type.COUNTER,
                    "Connections closed at once because the server already held its maximum, per protocol",
                    "protocol", "$1"),
            e(PROTOCOL + "connections\\.timed-out", "restrictd_connections_timed_out", Type.COUNTER,
                    "Connections closed because a request did not arrive whole in time, per protocol",
                    "protocol", "$1"),
            e(PROTOCOL + "connections\\.idle-closed", "restrictd_connections_idle_closed", Type.COUNTER,
                    "Connections closed after their idle timeout, per protocol", "protocol", "$1"),
            e("restrictd\\.ingest\\.applied", "restrictd_ingest_applied_records", Type.COUNTER,
                    "Topic records applied to the store since start"),
            e("restrictd\\.ingest\\.skipped", "restrictd_ingest_skipped_records", Type.COUNTER,
                    "Topic records that did not decode or failed the schema, skipped (never applied) since start"),
            e("restrictd\\.ingest\\.lag", "restrictd_ingest_lag_records", Type.GAUGE,
                    "Records between the store's position and the topic's end offsets last seen, all partitions"),
            e("restrictd\\.store\\.commit", "restrictd_store_commit_duration_seconds", Type.SUMMARY,
                    "Time to commit one batch of changes and its topic position to the store file"),
            e("restrictd\\.store\\.size", "restrictd_store_restrictions", Type.GAUGE,
                    "Restricted subjects in the store"),
            e("syncer\\.entries_seen", "restrictd_syncer_entries_seen", Type.COUNTER,
                    "Directory entries the syncer received (refreshes, changes, polls)"),
            e("syncer\\.events_published", "restrictd_syncer_events_published", Type.COUNTER,
                    "Restriction events (adds and changes) the syncer committed to the topic"),
            e("syncer\\.tombstones_published", "restrictd_syncer_tombstones_published", Type.COUNTER,
                    "Tombstones (lifts) the syncer committed to the topic"),
            e("syncer\\.refreshes", "restrictd_syncer_refreshes", Type.COUNTER,
                    "Full refreshes of the directory (initial sync, refresh required, polls)"),
            e("syncer\\.reconciliations", "restrictd_syncer_reconciliations", Type.COUNTER,
                    "psearch: full reconciliation searches, at connect and periodic"),
            e("syncer\\.reconcile_differences", "restrictd_syncer_reconcile_differences", Type.COUNTER,
                    "psearch: entries a periodic reconciliation found changed without a notification"),
            e("syncer\\.commit", "restrictd_syncer_commit_duration_seconds", Type.SUMMARY,
                    "Time to commit one Kafka transaction of events and sync position"),
            e("syncer\\.propagation_delay", "restrictd_syncer_propagation_delay_seconds", Type.SUMMARY,
                    "Delay from an entry's modifyTimestamp to its events' commit (whole-second precision on most "
                            + "directories)"),
            e("syncer\\.reconnects", "restrictd_syncer_reconnects", Type.COUNTER,
                    "Connections to the directory lost and retried since start"),
            e("syncer\\.leader", "restrictd_syncer_leader", Type.GAUGE,
                    "1 while this syncer is the leader that publishes, 0 while it stands by"),
            e("syncer\\.connected", "restrictd_syncer_connected", Type.GAUGE,
                    "1 while the syncer holds a connection to the directory"),
            e("syncer\\.healthy", "restrictd_syncer_healthy", Type.GAUGE,
                    "1 while the syncer's health check passes (a standby is healthy)"),
            e("syncer\\.last_reconciliation_seconds", "restrictd_syncer_last_reconciliation_timestamp_seconds",
                    Type.GAUGE, "psearch: Unix time the last full reconciliation finished, 0 before the first"),
            e("syncer\\.skipped_values", "restrictd_syncer_skipped_values", Type.COUNTER,
                    "Attribute values the mapping could not turn into a restriction key, skipped since start"),
            e("syncer\\.skipped_entries", "restrictd_syncer_skipped_entries", Type.COUNTER,
                    "Directory entries skipped since start because they carry no usable id (ldap.idAttribute): "
                            + "nothing is published or lifted for them"));

    private MetricCatalog() {
    }

    private static Entry e(String regex, String name, Type type, String help, String... labels) {
        return new Entry(Pattern.compile(regex), name, type, help, List.of(labels));
    }

    /** Whether {@code dropwizardName} is one of restrictd's own metrics (not Jetty's, the JVM's or logback's). */
    static boolean ours(String dropwizardName) {
        return dropwizardName.startsWith("restrictd.") || dropwizardName.startsWith("syncer.");
    }

    /** The export of one of restrictd's metrics: its catalog row, or {@link #fallback} if it has none. */
    static Export export(String dropwizardName, Type type) {
        for (Entry entry : ENTRIES) {
            Optional<Export> export = entry.match(dropwizardName);
            if (export.isPresent()) {
                return export.get();
            }
        }
        return fallback(dropwizardName, type);
    }

    /** A metric nobody described yet: exported, with help text that says so. */
    static Export fallback(String dropwizardName, Type type) {
        String name = dropwizardName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        name = (name.startsWith("restrictd_") ? "" : "restrictd_") + name;
        if (type == Type.SUMMARY) {
            name += "_seconds";
        }
        return new Export(name, type, "Not described yet (Dropwizard metric " + dropwizardName + ")",
                new String[0]);
    }
}
