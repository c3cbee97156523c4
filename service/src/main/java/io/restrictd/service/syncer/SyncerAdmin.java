package io.restrictd.service.syncer;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.restrictd.service.health.PrometheusMetrics;
import io.restrictd.syncer.source.SyncerStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The syncer's admin endpoint (syncer.adminListen): {@code GET /healthcheck}, JSON, 200 when healthy and 500
 * when not (a standby is healthy: waiting is its job); {@code GET /metrics}, the metric registry in Prometheus
 * text. The JDK's own HTTP server on one thread: the syncer needs no servlet container.
 */
final class SyncerAdmin implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String id;
    private final String mode;
    private final SyncerStatus status;
    private final PrometheusRegistry prometheus;
    private final HealthCheck topics;

    private SyncerAdmin(HttpServer server, String id, String mode, SyncerStatus status, MetricRegistry registry,
            HealthCheck topics) {
        this.server = server;
        this.id = id;
        this.mode = mode;
        this.status = status;
        this.prometheus = PrometheusMetrics.syncer(registry, status::phase);
        this.topics = topics;
    }

    /**
     * Listens on {@code address} and serves until closed.
     *
     * @throws IOException if the address cannot be bound
     */
    /**
     * @param registry the process's metrics, served at /metrics
     * @param topics   the topics' configuration check, or null for none; unhealthy makes the syncer unhealthy
     */
    static SyncerAdmin start(InetSocketAddress address, String id, String mode, SyncerStatus status,
            MetricRegistry registry, HealthCheck topics) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        SyncerAdmin admin = new SyncerAdmin(server, id, mode, status, registry, topics);
        server.createContext("/healthcheck", admin::health);
        server.createContext("/metrics", admin::metrics);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "syncer-admin");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return admin;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The health document; {@code healthy} decides the HTTP status. */
    Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        HealthCheck.Result topicsResult = topics == null ? null : topics.execute();
        h.put("healthy", status.healthy() && (topicsResult == null || topicsResult.isHealthy()));
        h.put("id", id);
        h.put("mode", mode);
        h.put("role", status.role());
        h.put("connected", status.connected());
        h.put("phase", status.phase());
        h.put("lastChangeSeen", text(status.lastChangeSeen()));
        h.put("lastCommit", text(status.lastCommit()));
        h.put("lastReconciliation", text(status.lastReconciliation()));
        h.put("reconciliations", status.reconciliations());
        h.put("reconcileDifferences", status.reconcileDifferences());
        h.put("lastError", status.lastError());
        h.put("fatal", status.fatal());
        h.put("reconnects", status.reconnects());
        if (topicsResult != null) {
            h.put("topics", topicsResult.getMessage());
        }
        return h;
    }

    private void health(HttpExchange exchange) throws IOException {
        Map<String, Object> h = health();
        reply(exchange, Boolean.TRUE.equals(h.get("healthy")) ? 200 : 500, "application/json",
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(h));
    }

    private void metrics(HttpExchange exchange) throws IOException {
        reply(exchange, 200, PrometheusMetrics.CONTENT_TYPE, PrometheusMetrics.text(prometheus));
    }

    private static void reply(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "must-revalidate,no-cache,no-store");
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
