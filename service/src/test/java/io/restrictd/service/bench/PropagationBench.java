package io.restrictd.service.bench;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Propagation delay from an LDAP modify's response to a lookup node's changed answer (ops/bench/run-syncer).
 *
 * <pre>
 *   PropagationBench --ldap ldap://127.0.0.1:PORT --bind DN --password PW --socketmap 127.0.0.1:PORT
 *                    [--changes 500] [--pause-ms 50] [--timeout-s 30] [--out results.properties]
 * </pre>
 *
 * <p>Change {@code 2k} sets {@code smtpdSenderRestrictions: TRUE} on {@code uid=fK} (unrestricted, with the
 * restrictdAccount class), change {@code 2k+1} removes it from {@code uid=bK} (restricted): set and clear
 * alternate, and no entry is changed twice. Each change is one synchronous modify on one persistent
 * connection as the rootdn; the clock starts when its response is in. Then one persistent socketmap
 * connection asks for {@code uidK@example.org} back to back (about 100 µs apart) until the answer flips
 * ({@code NOTFOUND } → {@code OK ACTION} or back); that instant ends the sample. The next change starts
 * {@code pause-ms} after the flip, so changes never overlap or queue. Before each change the old answer is
 * checked, so a flip seen is this change's. Results (ms) go to stdout and {@code --out}.
 */
public final class PropagationBench {
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final String PEOPLE = "ou=people,dc=example,dc=org";

    private PropagationBench() {
    }

    public static void main(String[] args) throws Exception {
        String ldap = null;
        String bind = "cn=admin,dc=example,dc=org";
        String password = "secret";
        String socketmap = null;
        String action = BenchData.ACTION;
        int changes = 500;
        long pauseMs = 50;
        long timeoutS = 30;
        Path out = null;
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--ldap" -> ldap = v;
                case "--bind" -> bind = v;
                case "--password" -> password = v;
                case "--socketmap" -> socketmap = v;
                case "--action" -> action = v;
                case "--changes" -> changes = Integer.parseInt(v);
                case "--pause-ms" -> pauseMs = Long.parseLong(v);
                case "--timeout-s" -> timeoutS = Long.parseLong(v);
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (ldap == null || socketmap == null) {
            throw new IllegalArgumentException("--ldap and --socketmap are required");
        }
        java.net.URI uri = java.net.URI.create(ldap);
        String[] sm = socketmap.split(":");
        Histogram propagation = new Histogram(HIGHEST_NANOS, 3);
        Histogram set = new Histogram(HIGHEST_NANOS, 3);
        Histogram clear = new Histogram(HIGHEST_NANOS, 3);
        Histogram modify = new Histogram(HIGHEST_NANOS, 3);
        long polls = 0;
        int timeouts = 0;
        long started = System.nanoTime();
        try (LDAPConnection conn = new LDAPConnection(uri.getHost(), uri.getPort(), bind, password);
                Probe probe = new Probe(sm[0], Integer.parseInt(sm[1]))) {
            String found = "OK " + action;
            String notFound = "NOTFOUND ";
            for (int i = 0; i < changes; i++) {
                boolean setting = i % 2 == 0;
                String uid = (setting ? "f" : "b") + (i / 2);
                String addr = uid + "@example.org";
                String before = probe.ask(addr);
                String expected = setting ? found : notFound;
                if (!before.equals(setting ? notFound : found)) {
                    throw new IllegalStateException("change " + i + ": " + addr + " answers '" + before
                            + "' before the change (the data set does not fit)");
                }
                Modification m = setting
                        ? new Modification(ModificationType.REPLACE, "smtpdSenderRestrictions", "TRUE")
                        : new Modification(ModificationType.DELETE, "smtpdSenderRestrictions");
                long sent = System.nanoTime();
                conn.modify("uid=" + uid + "," + PEOPLE, m);
                long t0 = System.nanoTime();
                modify.recordValue(Math.min(t0 - sent, HIGHEST_NANOS));
                long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutS);
                long flipped = -1;
                while (System.nanoTime() < deadline) {
                    polls++;
                    String a = probe.ask(addr);
                    long now = System.nanoTime();
                    if (a.equals(expected)) {
                        flipped = now;
                        break;
                    }
                    LockSupport.parkNanos(100_000);
                }
                if (flipped < 0) {
                    timeouts++;
                    System.err.printf(Locale.ROOT, "propagation: change %d (%s %s) not seen within %d s%n", i,
                            setting ? "set" : "clear", addr, timeoutS);
                    continue;
                }
                long took = Math.min(flipped - t0, HIGHEST_NANOS);
                propagation.recordValue(took);
                (setting ? set : clear).recordValue(took);
                if ((i + 1) % 100 == 0) {
                    System.err.printf(Locale.ROOT, "propagation: %d/%d changes, p50 so far %.1f ms%n", i + 1,
                            changes, propagation.getValueAtPercentile(50) / 1e6);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
            }
        } catch (LDAPException e) {
            throw new IllegalStateException("LDAP: " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        StringBuilder props = new StringBuilder();
        props.append(String.format(Locale.ROOT, "changes=%d%ntimeouts=%d%npolls=%d%nseconds=%.1f%n", changes,
                timeouts, polls, seconds));
        put(props, "propagation", propagation);
        put(props, "set", set);
        put(props, "clear", clear);
        put(props, "modify", modify);
        System.out.print(props);
        if (out != null) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
                w.print(props);
            }
        }
    }

    private static void put(StringBuilder b, String name, Histogram h) {
        b.append(String.format(Locale.ROOT, "%s.count=%d%n%s.min_ms=%.2f%n%s.p50_ms=%.2f%n%s.p90_ms=%.2f%n"
                + "%s.p99_ms=%.2f%n%s.max_ms=%.2f%n%s.mean_ms=%.2f%n", name, h.getTotalCount(), name,
                h.getMinValue() / 1e6, name, h.getValueAtPercentile(50) / 1e6, name,
                h.getValueAtPercentile(90) / 1e6, name, h.getValueAtPercentile(99) / 1e6, name,
                h.getMaxValue() / 1e6, name, h.getMean() / 1e6));
    }

    /** One socketmap connection, one request at a time ({@code sender KEY} as a netstring). */
    private static final class Probe implements AutoCloseable {
        private final Socket socket = new Socket();
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buf = new byte[8192];

        Probe(String host, int port) throws IOException {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        String ask(String key) throws IOException {
            out.write(Protocol.SOCKETMAP.request(key));
            int len = Protocol.SOCKETMAP.readReply(in, buf);
            String reply = Protocol.text(buf, len);
            int colon = reply.indexOf(':');
            if (colon < 0) {
                throw new EOFException("bad reply " + reply);
            }
            return reply.substring(colon + 1, reply.length() - 1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
