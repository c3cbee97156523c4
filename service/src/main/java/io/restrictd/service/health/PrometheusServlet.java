package io.restrictd.service.health;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The metric registry in Prometheus text format 0.0.4, on the admin port at {@code /prometheus}.
 * Names are the Dropwizard names with every other character turned into '_'; timers are summaries in
 * seconds with quantiles 0.5, 0.99 and 0.999.
 */
public final class PrometheusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final double[] QUANTILES = {0.5, 0.99, 0.999};

    private final transient MetricRegistry registry;

    public PrometheusServlet(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
        resp.setHeader("Cache-Control", "must-revalidate,no-cache,no-store");
        try (PrintWriter out = resp.getWriter()) {
            write(out);
        }
    }

    void write(PrintWriter out) {
        write(registry, out);
    }

    /** Renders {@code registry} in Prometheus text format 0.0.4, as {@code /prometheus} does (no servlet needed). */
    public static void write(MetricRegistry registry, PrintWriter out) {
        registry.getGauges().forEach((name, gauge) -> gauge(out, name(name), gauge));
        registry.getCounters().forEach((name, c) -> sample(out, name(name) + "_total", "counter", c.getCount()));
        registry.getMeters().forEach((name, m) -> sample(out, name(name) + "_total", "counter", m.getCount()));
        registry.getHistograms().forEach((name, h) -> summary(out, name(name), h.getSnapshot(), h.getCount(), 1));
        registry.getTimers().forEach((name, t) -> summary(out, name(name) + "_seconds", t.getSnapshot(), t.getCount(),
                1.0 / TimeUnit.SECONDS.toNanos(1)));
    }

    private static void gauge(PrintWriter out, String name, Gauge<?> gauge) {
        Object value;
        try {
            value = gauge.getValue();
        } catch (RuntimeException e) {
            return; // a gauge that cannot be read now is left out, not reported as 0
        }
        if (value instanceof Number n) {
            sample(out, name, "gauge", n.doubleValue());
        } else if (value instanceof Boolean b) {
            sample(out, name, "gauge", b ? 1 : 0);
        }
    }

    private static void summary(PrintWriter out, String name, Snapshot s, long count, double scale) {
        out.printf(Locale.ROOT, "# TYPE %s summary%n", name);
        for (double q : QUANTILES) {
            out.printf(Locale.ROOT, "%s{quantile=\"%s\"} %s%n", name, q, fmt(s.getValue(q) * scale));
        }
        out.printf(Locale.ROOT, "%s_count %d%n", name, count);
    }

    private static void sample(PrintWriter out, String name, String type, double value) {
        out.printf(Locale.ROOT, "# TYPE %s %s%n%s %s%n", name, type, name, fmt(value));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    static String name(String dropwizardName) {
        StringBuilder b = new StringBuilder(dropwizardName.length());
        for (int i = 0; i < dropwizardName.length(); i++) {
            char c = dropwizardName.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            b.append(ok ? c : '_');
        }
        return b.toString();
    }
}
